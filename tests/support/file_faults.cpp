#include "support/file_faults.h"

#include <cerrno>

namespace bru::test {

FaultyFileEnv::FaultyFileEnv(FileFaultSpec spec) : spec_(spec), installed_(*this) {}

FaultyFileEnv::~FaultyFileEnv() = default;

ssize_t FaultyFileEnv::pwrite(int fd, const void* data, std::size_t size, off_t offset) {
  const int call = ++writes_;
  if (spec_.fail_write > 0 &&
      (call == spec_.fail_write || (spec_.writes_after_fail && call > spec_.fail_write))) {
    ++injected_;
    errno = spec_.write_errno;
    return -1;
  }
  if (call == spec_.short_write && size > 1) {
    ++injected_;
    return FileEnv::pwrite(fd, data, size / 2, offset);
  }
  return FileEnv::pwrite(fd, data, size, offset);
}

int FaultyFileEnv::fsync(int fd) {
  if (++fsyncs_ == spec_.fail_fsync) {
    ++injected_;
    errno = spec_.fsync_errno;
    return -1;
  }
  return FileEnv::fsync(fd);
}

int FaultyFileEnv::rename(const char* from, const char* to) {
  if (++renames_ == spec_.fail_rename) {
    ++injected_;
    errno = spec_.rename_errno;
    return -1;
  }
  return FileEnv::rename(from, to);
}

}  // namespace bru::test
