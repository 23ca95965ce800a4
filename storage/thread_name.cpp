#include "storage/thread_name.h"

#include <pthread.h>

#include <string>

namespace jingsai::storage {

void NameThisThread(std::string_view name) {
  constexpr size_t kKernelLimit = 15;
  std::string kept(name.substr(0, kKernelLimit));
  pthread_setname_np(pthread_self(), kept.c_str());
}

}  // namespace jingsai::storage
