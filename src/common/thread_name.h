// Names the calling thread (shown by top -H, perf and gdb), so an operator can tell the HTTP
// threads from the vote writer or the media worker. Linux keeps at most 15 characters.
#pragma once

#include <pthread.h>

#include <string>

namespace aimoviez {

inline void NameThisThread(const std::string& name) {
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
}

}  // namespace aimoviez
