#include "storage/thread_name.h"

#include <pthread.h>
#include <sched.h>

#include <string>

namespace jingsai::storage {

void NameThisThread(std::string_view name) {
  constexpr size_t kKernelLimit = 15;
  std::string kept(name.substr(0, kKernelLimit));
  pthread_setname_np(pthread_self(), kept.c_str());
}

bool RunThisThreadFirst() {
  sched_param param{};
  param.sched_priority = sched_get_priority_min(SCHED_FIFO);
  return pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;
}

}  // namespace jingsai::storage
