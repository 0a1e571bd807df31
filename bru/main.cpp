// bru's entry point: parses the command line and dispatches (bru/cli.cpp).
#include "bru/cli.h"

int main(int argc, char** argv) { return bru::cli::run(argc, argv); }
