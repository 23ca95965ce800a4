// A VFS over the platform's own that sends a commit's WAL frames to the file
// in one write.
//
// SQLite writes each WAL frame with two system calls, its 24-byte header and
// its page: about a hundred `pwrite`s for a batch of a dozen steps, 15-17% of
// the writer's time under the review mix, most of it paid per call (the
// kernel looks up, locks and marks its page cache for every call, and a frame
// of 4,120 bytes straddles two of its pages). This VFS gives every WAL file a
// buffer: writes that continue where the last one ended gather there, and the
// write that completes a commit's last frame (the frame whose header carries
// the database's size) sends everything gathered in one `pwrite` and returns
// that write's result, so a failed write fails the commit exactly as before.
// A write over earlier content (SQLite rewriting a frame or its checksums)
// goes to the file at once, after what was gathered. Anything that could look
// at the file (a read, a sync, a truncation, its size, a file control,
// closing) first sends what is gathered. Other files are the platform's own.
//
// So when SQLite publishes a commit in the WAL index, after its frames'
// writes returned, every byte of the commit is in the file: another
// connection reads nothing that is not there, and a flush of the file (the
// WalSyncer's) covers the whole commit.
#pragma once

#include <cstdint>

namespace jingsai::storage {

// Registers the VFS as the process's default. Must run before SQLite's first
// use; returns false (and changes nothing) when it cannot.
bool InstallWalWriteBuffer();

struct WalWriteCounts {
  uint64_t asked = 0;     // writes SQLite asked of WAL files
  uint64_t issued = 0;    // writes sent to the files
  uint64_t rewrites = 0;  // of those asked, writes over earlier content
};
WalWriteCounts WalWriteCountsSoFar();

}  // namespace jingsai::storage
