// SPDX-License-Identifier: MIT
// Shared by the core and the UI tests: a FIFO must never make a loader block.
#pragma once

#include <chrono>
#include <condition_variable>
#include <fcntl.h>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>

namespace testutil {

/**
 * Runs \p read, which is handed the FIFO \p fifo; \return false if it blocked on it. After 20 s a guard
 * opens the FIFO's write end, which releases a reader stuck in open(), so a regression fails the test
 * instead of hanging it.
 */
template<typename Read>
bool readsWithoutBlocking(const std::string &fifo, Read read)
{
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false;
    bool rescued = false;
    std::thread guard([&] {
        std::unique_lock lock(mutex);
        if (done.wait_for(lock, std::chrono::seconds(20), [&] { return finished; }))
            return;
        rescued = true;
        lock.unlock();
        const int fd = ::open(fifo.c_str(), O_WRONLY);
        if (fd >= 0)
            ::close(fd);
    });
    read();
    {
        std::lock_guard lock(mutex);
        finished = true;
    }
    done.notify_all();
    guard.join();
    return !rescued;
}

} // namespace testutil
