// bru's entry point: parses the command line and dispatches (bru/cli.cpp).
#include <malloc.h>

#include "bru/cli.h"

int main(int argc, char** argv) {
  // bru's batches and chunks are a few MiB each, made and freed thousands of times a run, some
  // on one thread and freed on another. glibc's defaults hand blocks that large back to the
  // kernel and fault the pages in again for the next one: a fifth of a restore's client CPU
  // (perf: clear_page, page faults under memmove). Keep them in the heap instead. Memory stays
  // bounded by what a run holds at once; only its release to the kernel waits for the exit.
  // Blocks over 8 MiB (a long value's buffers in a driver) still come from mmap: with 32 MiB,
  // a 200 MB value restored through psqlODBC peaked 28 MB higher (fragments in the heap).
  mallopt(M_MMAP_THRESHOLD, 8 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  return bru::cli::run(argc, argv);
}
