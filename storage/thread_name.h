// Names the calling thread (as `top -H`, `perf` and gdb show it), so that an
// operator can tell the writer from the I/O threads in a busy server; and
// lets a short, latency-critical thread run first when it wakes.
#pragma once

#include <string_view>

namespace jingsai::storage {

// `name` is cut to the 15 characters the kernel keeps.
void NameThisThread(std::string_view name);

// Asks the kernel to run the calling thread ahead of ordinary threads
// whenever it is ready (SCHED_FIFO at the lowest real-time priority), for
// a thread that sleeps most of the time and works only briefly. Needs
// CAP_SYS_NICE (root, or a granted capability); false when refused, and
// the thread then runs as before.
bool RunThisThreadFirst();

}  // namespace jingsai::storage
