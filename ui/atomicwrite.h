// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

namespace mlastudio::ui {

/**
 * The one way MLA Studio writes a file: save, autosave, backup and every export.
 *
 * Writes \p bytes (already rendered in memory) to a temporary file next to \p path, checks every
 * write, flushes and checks again, and only then renames it over \p path. Qt 6.4's
 * QSaveFile::commit() reports success after a failed buffered write, so the data goes out
 * unbuffered and each step is checked before commit(). On any failure the file that was at
 * \p path is byte-for-byte unchanged and no temporary file is left.
 *
 * \return an empty string on success, else "Cannot write PATH: CAUSE" with the cause in words
 *         (the disk is full, the file size limit, permission denied, the folder does not exist).
 */
QString writeFileAtomically(const QString &path, const QByteArray &bytes);

/**
 * Keeps a copy of the file at \p path as PATH~ before it is overwritten: written through
 * writeFileAtomically(), so an older PATH~ survives until the new copy is complete.
 * \return an empty string on success or when there is no file at \p path, else the error.
 */
QString writeBackupCopy(const QString &path);

} // namespace mlastudio::ui
