// SPDX-License-Identifier: MIT
#include "atomicwrite.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <cerrno>

namespace mlastudio::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("mlastudio::ui::AtomicWrite", text);
}

// Qt 6.4 often reports "Unknown error" for these failures, so the cause comes from errno, taken
// right after the failing call.
QString causeText(int errnum, const QString &qtText)
{
    const QString system = errnum != 0 ? qt_error_string(errnum) : qtText;
    switch (errnum) {
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
        return tr("the disk is full (%1)").arg(system);
    case EFBIG:
        return tr("the file would exceed the file size limit (%1)").arg(system);
    case EACCES:
    case EPERM:
        return tr("permission denied (%1)").arg(system);
    case EROFS:
        return tr("the file system is read-only (%1)").arg(system);
    case ENOENT:
        return tr("the folder does not exist (%1)").arg(system);
    default:
        return system.isEmpty() ? tr("unknown error") : system;
    }
}

QString failure(const QString &path, const QString &cause)
{
    return tr("Cannot write %1: %2; the existing file, if any, is unchanged")
        .arg(QDir::toNativeSeparators(path), cause);
}

} // namespace

QString writeFileAtomically(const QString &path, const QByteArray &bytes)
{
    if (path.isEmpty())
        return tr("Cannot write a file without a name");
    const QFileInfo info(path);
    const QString folder = info.absolutePath();
    if (!QFileInfo(folder).isDir())
        return failure(path, tr("the folder %1 does not exist").arg(QDir::toNativeSeparators(folder)));
    if (info.isDir())
        return failure(path, tr("it is a folder"));

    QSaveFile file(path);
    errno = 0;
    // Unbuffered: every write() reaches the file system, so a failed one returns a short count or
    // -1 at once instead of surfacing later in a flush that commit() ignores.
    if (!file.open(QIODevice::WriteOnly | QIODevice::Unbuffered)) {
        const int errnum = errno;
        return failure(path, causeText(errnum != 0 ? errnum : (QFileInfo(folder).isWritable() ? 0 : EACCES),
                                       file.errorString()));
    }
    qint64 done = 0;
    while (done < bytes.size()) {
        errno = 0;
        const qint64 n = file.write(bytes.constData() + done, bytes.size() - done);
        if (n <= 0) {
            const int errnum = errno;
            const QString why = causeText(errnum, file.errorString());
            file.cancelWriting();
            return failure(path, why);
        }
        done += n;  // a short count (the limit reached): the next write reports why
    }
    errno = 0;
    if (!file.flush() || file.error() != QFileDevice::NoError) {
        const int errnum = errno;
        const QString why = causeText(errnum, file.errorString());
        file.cancelWriting();
        return failure(path, why);
    }
    errno = 0;
    if (!file.commit()) {
        const int errnum = errno;
        return failure(path, causeText(errnum, file.errorString()));
    }
    return {};
}

QString writeBackupCopy(const QString &path)
{
    // Scenario files are at most a few MiB; a larger file at the path is not worth a copy in memory.
    constexpr qint64 kMaxBackupBytes = 256 * 1024 * 1024;
    const QFileInfo info(path);
    if (!info.isFile())
        return {};
    const QString backup = path + QLatin1Char('~');
    QFile file(path);
    if (info.size() > kMaxBackupBytes || !file.open(QIODevice::ReadOnly))
        return tr("Cannot keep a backup %1: the file cannot be read (%2)")
            .arg(QDir::toNativeSeparators(backup), file.errorString());
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return tr("Cannot keep a backup %1: reading %2 failed (%3)")
            .arg(QDir::toNativeSeparators(backup), QDir::toNativeSeparators(path), file.errorString());
    return writeFileAtomically(backup, bytes);
}

} // namespace mlastudio::ui
