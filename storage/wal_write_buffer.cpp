#include "storage/wal_write_buffer.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>
#include <vector>

namespace jingsai::storage {
namespace {

constexpr int64_t kWalHeaderBytes = 32;
constexpr int kFrameHeaderBytes = 24;
// The platform's VFS writes at most 128 KB less a byte per call (and calls a
// shorter write a full disk); a commit of more is sent in pieces this size.
constexpr size_t kBufferBytes = 120 * 1024;

sqlite3_vfs* platform = nullptr;  // the default VFS before ours
sqlite3_vfs buffered_vfs;
std::atomic<uint64_t> asked{0};
std::atomic<uint64_t> issued{0};
std::atomic<uint64_t> rewrites{0};

// A WAL file: ours first, the platform's file after it in the same block.
// SQLite calls a file's methods from one thread at a time (its connection's).
struct WalFile {
  sqlite3_file base;  // what SQLite sees; must come first
  sqlite3_file* real = nullptr;
  std::vector<unsigned char> gathered;
  int64_t gathered_at = 0;  // file offset of gathered[0]
  // Where this file's content ends as far as the writes since the last WAL
  // header tell: a write that starts before it overwrites.
  int64_t written_end = 0;
  // The offset of the page whose frame header marked a commit, or -1.
  int64_t commit_page_at = -1;
};

constexpr size_t kWalFileBytes = (sizeof(WalFile) + 15) & ~size_t{15};

WalFile* Of(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }

int WriteThrough(WalFile& file, const void* data, int amount, int64_t offset) {
  issued.fetch_add(1, std::memory_order_relaxed);
  return file.real->pMethods->xWrite(file.real, data, amount, offset);
}

int Send(WalFile& file) {
  if (file.gathered.empty()) return SQLITE_OK;
  int rc = WriteThrough(file, file.gathered.data(), static_cast<int>(file.gathered.size()),
                        file.gathered_at);
  // After a failure nothing gathered is kept: the transaction fails with it.
  file.gathered.clear();
  return rc;
}

uint32_t BigEndian32(const unsigned char* bytes) {
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

int Write(sqlite3_file* handle, const void* data, int amount, sqlite3_int64 offset) {
  WalFile& file = *Of(handle);
  asked.fetch_add(1, std::memory_order_relaxed);
  const auto* bytes = static_cast<const unsigned char*>(data);
  // A new WAL header starts the file over: every frame after it is new.
  if (offset == 0) file.written_end = 0;
  const int64_t end = offset + amount;
  if (offset < file.written_end) {
    // A rewrite of a frame or of its checksums, after the frames it follows.
    rewrites.fetch_add(1, std::memory_order_relaxed);
    if (int rc = Send(file); rc != SQLITE_OK) return rc;
    if (end > file.written_end) file.written_end = end;
    return WriteThrough(file, data, amount, offset);
  }
  const bool continues = offset == file.gathered_at + static_cast<int64_t>(file.gathered.size());
  if (!file.gathered.empty() && (!continues || file.gathered.size() + amount > kBufferBytes)) {
    if (int rc = Send(file); rc != SQLITE_OK) return rc;
  }
  file.written_end = end;
  if (static_cast<size_t>(amount) > kBufferBytes) return WriteThrough(file, data, amount, offset);
  if (file.gathered.empty()) {
    file.gathered.reserve(kBufferBytes);
    file.gathered_at = offset;
  }
  file.gathered.insert(file.gathered.end(), bytes, bytes + amount);
  // A frame header's second word is the database's size in pages for the
  // last frame of a commit, zero otherwise.
  const bool frame_header = amount == kFrameHeaderBytes && offset >= kWalHeaderBytes;
  if (frame_header && BigEndian32(bytes + 4) != 0) {
    file.commit_page_at = end;
    return SQLITE_OK;
  }
  if (offset == file.commit_page_at) {
    file.commit_page_at = -1;
    return Send(file);
  }
  return SQLITE_OK;
}

int Close(sqlite3_file* handle) {
  WalFile& file = *Of(handle);
  int sent = Send(file);
  int closed = file.real->pMethods ? file.real->pMethods->xClose(file.real) : SQLITE_OK;
  file.~WalFile();
  return sent != SQLITE_OK ? sent : closed;
}

int Read(sqlite3_file* handle, void* data, int amount, sqlite3_int64 offset) {
  WalFile& file = *Of(handle);
  if (int rc = Send(file); rc != SQLITE_OK) return rc;
  return file.real->pMethods->xRead(file.real, data, amount, offset);
}

int Truncate(sqlite3_file* handle, sqlite3_int64 size) {
  WalFile& file = *Of(handle);
  if (int rc = Send(file); rc != SQLITE_OK) return rc;
  if (file.written_end > size) file.written_end = size;
  return file.real->pMethods->xTruncate(file.real, size);
}

int Sync(sqlite3_file* handle, int flags) {
  WalFile& file = *Of(handle);
  if (int rc = Send(file); rc != SQLITE_OK) return rc;
  return file.real->pMethods->xSync(file.real, flags);
}

int FileSize(sqlite3_file* handle, sqlite3_int64* size) {
  WalFile& file = *Of(handle);
  if (int rc = Send(file); rc != SQLITE_OK) return rc;
  return file.real->pMethods->xFileSize(file.real, size);
}

int Lock(sqlite3_file* handle, int level) {
  sqlite3_file* real = Of(handle)->real;
  return real->pMethods->xLock(real, level);
}

int Unlock(sqlite3_file* handle, int level) {
  sqlite3_file* real = Of(handle)->real;
  return real->pMethods->xUnlock(real, level);
}

int CheckReservedLock(sqlite3_file* handle, int* reserved) {
  sqlite3_file* real = Of(handle)->real;
  return real->pMethods->xCheckReservedLock(real, reserved);
}

int FileControl(sqlite3_file* handle, int op, void* argument) {
  WalFile& file = *Of(handle);
  if (int rc = Send(file); rc != SQLITE_OK) return rc;
  return file.real->pMethods->xFileControl(file.real, op, argument);
}

int SectorSize(sqlite3_file* handle) {
  sqlite3_file* real = Of(handle)->real;
  return real->pMethods->xSectorSize(real);
}

int DeviceCharacteristics(sqlite3_file* handle) {
  sqlite3_file* real = Of(handle)->real;
  return real->pMethods->xDeviceCharacteristics(real);
}

// A WAL file has no shared memory or mapping of its own; these only keep the
// methods complete.
int ShmMap(sqlite3_file*, int, int, int, void volatile** region) {
  *region = nullptr;
  return SQLITE_IOERR_SHMMAP;
}
int ShmLock(sqlite3_file*, int, int, int) { return SQLITE_IOERR_SHMLOCK; }
void ShmBarrier(sqlite3_file*) {}
int ShmUnmap(sqlite3_file*, int) { return SQLITE_OK; }
int Fetch(sqlite3_file*, sqlite3_int64, int, void** page) {
  *page = nullptr;  // not mapped: SQLite reads instead
  return SQLITE_OK;
}
int Unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

const sqlite3_io_methods kWalMethods = {
    .iVersion = 3,
    .xClose = Close,
    .xRead = Read,
    .xWrite = Write,
    .xTruncate = Truncate,
    .xSync = Sync,
    .xFileSize = FileSize,
    .xLock = Lock,
    .xUnlock = Unlock,
    .xCheckReservedLock = CheckReservedLock,
    .xFileControl = FileControl,
    .xSectorSize = SectorSize,
    .xDeviceCharacteristics = DeviceCharacteristics,
    .xShmMap = ShmMap,
    .xShmLock = ShmLock,
    .xShmBarrier = ShmBarrier,
    .xShmUnmap = ShmUnmap,
    .xFetch = Fetch,
    .xUnfetch = Unfetch,
};

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* handle, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    // Not a WAL file: the platform's own file, in the block SQLite gave us.
    return platform->xOpen(platform, name, handle, flags, out_flags);
  }
  WalFile* file = new (handle) WalFile;
  file->base.pMethods = nullptr;
  file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(handle) + kWalFileBytes);
  std::memset(file->real, 0, static_cast<size_t>(platform->szOsFile));
  int rc = platform->xOpen(platform, name, file->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (file->real->pMethods != nullptr) file->real->pMethods->xClose(file->real);
    file->~WalFile();
    handle->pMethods = nullptr;  // SQLite will not close a file that failed to open
    return rc;
  }
  file->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return platform->xDelete(platform, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* result) {
  return platform->xAccess(platform, name, flags, result);
}
int FullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return platform->xFullPathname(platform, name, size, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return platform->xDlOpen(platform, name); }
void DlError(sqlite3_vfs*, int size, char* message) { platform->xDlError(platform, size, message); }
void (*DlSym(sqlite3_vfs*, void* library, const char* symbol))(void) {
  return platform->xDlSym(platform, library, symbol);
}
void DlClose(sqlite3_vfs*, void* library) { platform->xDlClose(platform, library); }
int Randomness(sqlite3_vfs*, int size, char* out) {
  return platform->xRandomness(platform, size, out);
}
int Sleep(sqlite3_vfs*, int microseconds) { return platform->xSleep(platform, microseconds); }
int CurrentTime(sqlite3_vfs*, double* now) { return platform->xCurrentTime(platform, now); }
int GetLastError(sqlite3_vfs*, int size, char* out) {
  return platform->xGetLastError(platform, size, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* now) {
  return platform->xCurrentTimeInt64(platform, now);
}

}  // namespace

bool InstallWalWriteBuffer() {
  if (platform != nullptr) return true;
  sqlite3_vfs* found = sqlite3_vfs_find(nullptr);
  if (found == nullptr || found->iVersion < 2) return false;
  platform = found;
  buffered_vfs = sqlite3_vfs{};
  buffered_vfs.iVersion = 2;
  buffered_vfs.szOsFile =
      std::max(platform->szOsFile, static_cast<int>(kWalFileBytes) + platform->szOsFile);
  buffered_vfs.mxPathname = platform->mxPathname;
  buffered_vfs.zName = "jingsai-wal-buffer";
  buffered_vfs.xOpen = Open;
  buffered_vfs.xDelete = Delete;
  buffered_vfs.xAccess = Access;
  buffered_vfs.xFullPathname = FullPathname;
  buffered_vfs.xDlOpen = DlOpen;
  buffered_vfs.xDlError = DlError;
  buffered_vfs.xDlSym = DlSym;
  buffered_vfs.xDlClose = DlClose;
  buffered_vfs.xRandomness = Randomness;
  buffered_vfs.xSleep = Sleep;
  buffered_vfs.xCurrentTime = CurrentTime;
  buffered_vfs.xGetLastError = GetLastError;
  buffered_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (sqlite3_vfs_register(&buffered_vfs, /*makeDflt=*/1) != SQLITE_OK) {
    platform = nullptr;
    return false;
  }
  return true;
}

WalWriteCounts WalWriteCountsSoFar() {
  return {asked.load(std::memory_order_relaxed), issued.load(std::memory_order_relaxed),
          rewrites.load(std::memory_order_relaxed)};
}

}  // namespace jingsai::storage
