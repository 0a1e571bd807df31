// Small helpers shared by the splitter and script tests.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "schema/error.h"
#include "schema/script/splitter.h"

namespace bru::schema {
// Readable failure output for EXPECT_EQ on statements.
inline void PrintTo(const Statement& statement, std::ostream* out) {
  *out << statement.file << ":" << statement.line << ":" << statement.column << " x"
       << statement.repeat << " [" << statement.text << "]";
}
}  // namespace bru::schema

namespace bru::test {

// The statement texts split_statements gives for text.
inline std::vector<std::string> texts(std::string_view dialect, std::string_view text) {
  std::vector<std::string> out;
  for (const auto& statement : schema::split_statements(dialect, text, "t.sql")) {
    out.push_back(statement.text);
  }
  return out;
}

// The first lines of the statements split_statements gives for text.
inline std::vector<int> first_lines(std::string_view dialect, std::string_view text) {
  std::vector<int> out;
  for (const auto& statement : schema::split_statements(dialect, text, "t.sql")) {
    out.push_back(statement.line);
  }
  return out;
}

// The bru::Error that body throws; a failed expectation (and a kInternal error) when it throws
// none or something else.
inline Error error_from(const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& error) {
    return error;
  } catch (const std::exception& other) {
    ADD_FAILURE() << "threw a non-bru exception: " << other.what();
    return Error(ErrorKind::kInternal, other.what());
  }
  ADD_FAILURE() << "did not throw";
  return Error(ErrorKind::kInternal, "did not throw");
}

// Expects the kind, the whole message and every hint of the error body throws.
inline void expect_error(const std::function<void()>& body, ErrorKind kind,
                         const std::string& message, const std::vector<std::string>& hints) {
  const Error error = error_from(body);
  EXPECT_EQ(error.kind(), kind);
  EXPECT_EQ(error.message(), message);
  EXPECT_EQ(error.hints(), hints);
}

}  // namespace bru::test
