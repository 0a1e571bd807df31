// The seam under bru's file writing (LevelDB's Env idea): open, write, sync, truncate, rename,
// unlink and close of the files bru writes go through one FileEnv, which tests replace to make
// the Nth write fail with ENOSPC, a write come back short, or fsync fail, and then check that
// bru says so and leaves nothing behind.
//
// The archive is an SQLite file: SQLite writes it through the VFS named by sqlite_vfs_name(), a
// small VFS whose file methods call file_env(), so its page writes and syncs pass the seam too.
//
// Threads: file_env() may be called from any thread; replace the env (ScopedFileEnv) only while
// no file is being written, as a test does before it runs a command.
#pragma once

#include <sys/types.h>

#include <cstddef>

namespace bru::files {

// POSIX file calls, each returning what the system call returns and setting errno on failure.
// The base class makes the real calls; a test overrides the ones it wants to fail.
class FileEnv {
 public:
  virtual ~FileEnv() = default;
  virtual int open(const char* path, int flags, mode_t mode);
  virtual ssize_t pread(int fd, void* data, std::size_t size, off_t offset);
  // May write fewer bytes than asked (a short write); callers write the rest.
  virtual ssize_t pwrite(int fd, const void* data, std::size_t size, off_t offset);
  virtual int fsync(int fd);
  virtual int ftruncate(int fd, off_t size);
  virtual int rename(const char* from, const char* to);
  virtual int unlink(const char* path);
  virtual int close(int fd);
};

// The env in use: the real one unless a ScopedFileEnv replaced it.
FileEnv& file_env() noexcept;

// Makes `env` the one file_env() returns while the guard lives, then puts the previous one back.
class ScopedFileEnv {
 public:
  explicit ScopedFileEnv(FileEnv& env) noexcept;
  ~ScopedFileEnv();
  ScopedFileEnv(const ScopedFileEnv&) = delete;
  ScopedFileEnv& operator=(const ScopedFileEnv&) = delete;

 private:
  FileEnv* previous_;
};

// Writes all of `size` bytes at `offset` through file_env(), going on after a short write.
// Returns 0, or the errno of the failure (ENOSPC when a write makes no progress at all).
int write_all(int fd, const void* data, std::size_t size, off_t offset);

// The name of the SQLite VFS that does the main database file's I/O through file_env()
// (registered on first use, not as the default VFS). Its file locks are no-ops: bru opens only
// private files with it (the archive writer's flock()ed .partial file). Temporary and journal
// files go to SQLite's default VFS.
const char* sqlite_vfs_name();

}  // namespace bru::files
