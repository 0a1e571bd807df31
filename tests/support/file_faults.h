// Fault injection through bru's file seam (formats/file_env.h): a FileEnv that makes the Nth
// write fail (ENOSPC, EIO...), come back short, or the Nth fsync or rename fail, and passes
// every other call to the real file system. Installed for its lifetime.
#pragma once

#include <atomic>

#include "formats/file_env.h"

namespace bru::test {

struct FileFaultSpec {
  int fail_write = 0;         // the Nth pwrite (1-based) fails with write_errno; 0 = none
  bool writes_after_fail = false;  // every later pwrite fails too (a disk that stays full)
  int write_errno = 28;       // ENOSPC
  int short_write = 0;        // the Nth pwrite writes half of what it was asked; 0 = none
  int fail_fsync = 0;         // the Nth fsync fails with fsync_errno
  int fsync_errno = 5;        // EIO
  int fail_rename = 0;        // the Nth rename fails with rename_errno
  int rename_errno = 5;
};

class FaultyFileEnv : public files::FileEnv {
 public:
  explicit FaultyFileEnv(FileFaultSpec spec);
  ~FaultyFileEnv() override;

  ssize_t pwrite(int fd, const void* data, std::size_t size, off_t offset) override;
  int fsync(int fd) override;
  int rename(const char* from, const char* to) override;

  int writes() const { return writes_; }
  int fsyncs() const { return fsyncs_; }
  // Faults that fired (failed or short calls).
  int injected() const { return injected_; }

 private:
  FileFaultSpec spec_;
  std::atomic<int> writes_{0};
  std::atomic<int> fsyncs_{0};
  std::atomic<int> renames_{0};
  std::atomic<int> injected_{0};
  files::ScopedFileEnv installed_;
};

}  // namespace bru::test
