#include "formats/file_env.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>

namespace bru::files {
namespace {

FileEnv g_posix_env;
std::atomic<FileEnv*> g_env{&g_posix_env};

}  // namespace

int FileEnv::open(const char* path, int flags, mode_t mode) { return ::open(path, flags, mode); }

ssize_t FileEnv::pread(int fd, void* data, std::size_t size, off_t offset) {
  return ::pread(fd, data, size, offset);
}

ssize_t FileEnv::pwrite(int fd, const void* data, std::size_t size, off_t offset) {
  return ::pwrite(fd, data, size, offset);
}

int FileEnv::fsync(int fd) { return ::fsync(fd); }

int FileEnv::ftruncate(int fd, off_t size) { return ::ftruncate(fd, size); }

int FileEnv::rename(const char* from, const char* to) { return ::rename(from, to); }

int FileEnv::unlink(const char* path) { return ::unlink(path); }

int FileEnv::close(int fd) { return ::close(fd); }

FileEnv& file_env() noexcept { return *g_env.load(); }

ScopedFileEnv::ScopedFileEnv(FileEnv& env) noexcept : previous_(g_env.exchange(&env)) {}

ScopedFileEnv::~ScopedFileEnv() { g_env.store(previous_); }

int write_all(int fd, const void* data, std::size_t size, off_t offset) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t wrote = file_env().pwrite(fd, bytes, size, offset);
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    // No progress and no error: the file system has no room left (what Linux does when a write
    // meets a full disk after some bytes went out).
    if (wrote == 0) return ENOSPC;
    bytes += wrote;
    size -= static_cast<std::size_t>(wrote);
    offset += wrote;
  }
  return 0;
}

// ---- The SQLite VFS over file_env() ----
namespace {

constexpr const char* kVfsName = "bru-file-env";

struct EnvFile {
  sqlite3_file base;  // first: SQLite sees an EnvFile as an sqlite3_file
  int fd;
};

// The errno of the last failed call, for sqlite3_system_errno() (through xGetLastError).
thread_local int t_last_errno = 0;

sqlite3_vfs* default_vfs() { return sqlite3_vfs_find(nullptr); }

int fail_with(int sqlite_code, int error_number) {
  t_last_errno = error_number;
  if (error_number == ENOSPC || error_number == EDQUOT) return SQLITE_FULL;
  return sqlite_code;
}

int env_close(sqlite3_file* file) {
  auto* env_file = reinterpret_cast<EnvFile*>(file);
  const int rc = file_env().close(env_file->fd);
  env_file->fd = -1;
  return rc == 0 ? SQLITE_OK : fail_with(SQLITE_IOERR_CLOSE, errno);
}

int env_read(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  auto* env_file = reinterpret_cast<EnvFile*>(file);
  char* bytes = static_cast<char*>(data);
  auto left = static_cast<std::size_t>(amount);
  while (left > 0) {
    const ssize_t got = file_env().pread(env_file->fd, bytes, left, static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      return fail_with(SQLITE_IOERR_READ, errno);
    }
    if (got == 0) {
      // Past the end: SQLite expects the rest zeroed and this code.
      std::memset(bytes, 0, left);
      return SQLITE_IOERR_SHORT_READ;
    }
    bytes += got;
    left -= static_cast<std::size_t>(got);
    offset += got;
  }
  return SQLITE_OK;
}

int env_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  auto* env_file = reinterpret_cast<EnvFile*>(file);
  const int error_number =
      write_all(env_file->fd, data, static_cast<std::size_t>(amount), static_cast<off_t>(offset));
  return error_number == 0 ? SQLITE_OK : fail_with(SQLITE_IOERR_WRITE, error_number);
}

int env_truncate(sqlite3_file* file, sqlite3_int64 size) {
  auto* env_file = reinterpret_cast<EnvFile*>(file);
  return file_env().ftruncate(env_file->fd, static_cast<off_t>(size)) == 0
             ? SQLITE_OK
             : fail_with(SQLITE_IOERR_TRUNCATE, errno);
}

int env_sync(sqlite3_file* file, int /*flags*/) {
  auto* env_file = reinterpret_cast<EnvFile*>(file);
  return file_env().fsync(env_file->fd) == 0 ? SQLITE_OK : fail_with(SQLITE_IOERR_FSYNC, errno);
}

int env_file_size(sqlite3_file* file, sqlite3_int64* size) {
  auto* env_file = reinterpret_cast<EnvFile*>(file);
  struct stat status {};
  if (::fstat(env_file->fd, &status) != 0) return fail_with(SQLITE_IOERR_FSTAT, errno);
  *size = status.st_size;
  return SQLITE_OK;
}

// The files of this VFS are private to one writer (see the header): no locks needed.
int env_lock(sqlite3_file*, int) { return SQLITE_OK; }
int env_unlock(sqlite3_file*, int) { return SQLITE_OK; }
int env_check_reserved_lock(sqlite3_file*, int* reserved) {
  *reserved = 0;
  return SQLITE_OK;
}
int env_file_control(sqlite3_file*, int, void*) { return SQLITE_NOTFOUND; }
int env_sector_size(sqlite3_file*) { return 4096; }
int env_device_characteristics(sqlite3_file*) { return 0; }

const sqlite3_io_methods kEnvIoMethods = {
    1,  // iVersion: no shared memory (no WAL), no mmap
    env_close,     env_read,   env_write,       env_truncate,
    env_sync,      env_file_size, env_lock,     env_unlock,
    env_check_reserved_lock, env_file_control, env_sector_size, env_device_characteristics,
    nullptr,       nullptr,    nullptr,         nullptr,
    nullptr,       nullptr};

int env_open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  // Journals and temporary files (none in normal use: journal_mode=OFF) are SQLite's business.
  if (name == nullptr || (flags & SQLITE_OPEN_MAIN_DB) == 0) {
    return fallback->xOpen(fallback, name, file, flags, out_flags);
  }
  auto* env_file = reinterpret_cast<EnvFile*>(file);
  env_file->base.pMethods = nullptr;  // xClose is not called for a file that failed to open
  int open_flags = O_CLOEXEC | ((flags & SQLITE_OPEN_READWRITE) != 0 ? O_RDWR : O_RDONLY);
  if ((flags & SQLITE_OPEN_CREATE) != 0) open_flags |= O_CREAT;
  const int fd = file_env().open(name, open_flags, 0644);
  if (fd < 0) return fail_with(SQLITE_CANTOPEN, errno);
  env_file->fd = fd;
  env_file->base.pMethods = &kEnvIoMethods;
  if (out_flags != nullptr) *out_flags = flags;
  return SQLITE_OK;
}

int env_delete(sqlite3_vfs*, const char* name, int /*sync_dir*/) {
  if (file_env().unlink(name) == 0 || errno == ENOENT) return SQLITE_OK;
  return fail_with(SQLITE_IOERR_DELETE, errno);
}

int env_access(sqlite3_vfs* vfs, const char* name, int flags, int* result) {
  auto* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  return fallback->xAccess(fallback, name, flags, result);
}

int env_full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  auto* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  return fallback->xFullPathname(fallback, name, size, out);
}

void* env_dl_open(sqlite3_vfs* vfs, const char* name) {
  auto* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  return fallback->xDlOpen(fallback, name);
}
void env_dl_error(sqlite3_vfs* vfs, int size, char* out) {
  auto* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  fallback->xDlError(fallback, size, out);
}
void (*env_dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  auto* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  return fallback->xDlSym(fallback, handle, symbol);
}
void env_dl_close(sqlite3_vfs* vfs, void* handle) {
  auto* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  fallback->xDlClose(fallback, handle);
}
int env_randomness(sqlite3_vfs* vfs, int size, char* out) {
  auto* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  return fallback->xRandomness(fallback, size, out);
}
int env_sleep(sqlite3_vfs* vfs, int microseconds) {
  auto* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  return fallback->xSleep(fallback, microseconds);
}
int env_current_time(sqlite3_vfs* vfs, double* now) {
  auto* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  return fallback->xCurrentTime(fallback, now);
}
int env_get_last_error(sqlite3_vfs*, int, char*) { return t_last_errno; }
int env_current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* now) {
  auto* fallback = static_cast<sqlite3_vfs*>(vfs->pAppData);
  if (fallback->iVersion >= 2 && fallback->xCurrentTimeInt64 != nullptr) {
    return fallback->xCurrentTimeInt64(fallback, now);
  }
  double days = 0;
  const int rc = fallback->xCurrentTime(fallback, &days);
  *now = static_cast<sqlite3_int64>(days * 86400000.0);
  return rc;
}

}  // namespace

const char* sqlite_vfs_name() {
  static std::once_flag once;
  static sqlite3_vfs vfs{};
  std::call_once(once, [] {
    sqlite3_vfs* fallback = default_vfs();
    vfs.iVersion = 2;
    // Big enough for the fallback's files too: journals and temporary files are opened by it.
    vfs.szOsFile = std::max<int>(static_cast<int>(sizeof(EnvFile)), fallback->szOsFile);
    vfs.mxPathname = fallback->mxPathname;
    vfs.zName = kVfsName;
    vfs.pAppData = fallback;
    vfs.xOpen = env_open;
    vfs.xDelete = env_delete;
    vfs.xAccess = env_access;
    vfs.xFullPathname = env_full_pathname;
    vfs.xDlOpen = env_dl_open;
    vfs.xDlError = env_dl_error;
    vfs.xDlSym = env_dl_sym;
    vfs.xDlClose = env_dl_close;
    vfs.xRandomness = env_randomness;
    vfs.xSleep = env_sleep;
    vfs.xCurrentTime = env_current_time;
    vfs.xGetLastError = env_get_last_error;
    vfs.xCurrentTimeInt64 = env_current_time_int64;
    sqlite3_vfs_register(&vfs, /*makeDflt=*/0);
  });
  return kVfsName;
}

}  // namespace bru::files
