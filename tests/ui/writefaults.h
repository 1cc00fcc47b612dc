// SPDX-License-Identifier: MIT
#pragma once
// Real write faults without root: a file size limit (RLIMIT_FSIZE) with SIGXFSZ ignored makes
// every write past the limit fail with EFBIG, as a full disk fails with ENOSPC.

#include <QByteArray>
#include <QFile>
#include <QString>

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

namespace writefaults {

/** Limits the files this process writes to \p bytes while in scope. */
class FileSizeLimit
{
public:
    explicit FileSizeLimit(rlim_t bytes)
    {
        std::signal(SIGXFSZ, SIG_IGN);
        m_ok = getrlimit(RLIMIT_FSIZE, &m_saved) == 0;
        rlimit limited = m_saved;
        limited.rlim_cur = bytes;
        m_ok = m_ok && setrlimit(RLIMIT_FSIZE, &limited) == 0;
    }
    ~FileSizeLimit()
    {
        if (m_ok)
            setrlimit(RLIMIT_FSIZE, &m_saved);  // the soft limit may be raised back up to the hard one
    }
    FileSizeLimit(const FileSizeLimit &) = delete;
    FileSizeLimit &operator=(const FileSizeLimit &) = delete;
    bool ok() const { return m_ok; }

private:
    rlimit m_saved{};
    bool m_ok = false;
};

/** For QProcess::setChildProcessModifier: the same limit in a child before it runs the program
 *  (an ignored signal stays ignored across exec). Async-signal-safe calls only. */
inline void limitFileSizeInChild(rlim_t bytes)
{
    ::signal(SIGXFSZ, SIG_IGN);
    rlimit limited{};
    getrlimit(RLIMIT_FSIZE, &limited);
    limited.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limited);
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.flush();
}

/** Root ignores directory permissions (tests run as root in CI). */
inline bool permissionsApply()
{
    return geteuid() != 0;
}

} // namespace writefaults
