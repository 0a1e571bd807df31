// One unit of an update script as bru sends it to the server (schema/script/splitter.h says how
// each engine splits a script into them).
#pragma once

#include <string>

namespace bru::schema {

struct Statement {
  std::string text;   // as splitter.h describes it; LF line endings
  std::string file;   // the file_name given to split_statements
  int line = 0;       // 1-based line of the first token
  int column = 0;     // 1-based byte column of the first token
  int repeat = 1;     // SQL Server `GO <n>`: run the batch n times; 1 elsewhere

  bool operator==(const Statement&) const = default;
};

}  // namespace bru::schema
