// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

class QLockFile;
class QTimer;

namespace mlastudio::ui {

class Scenario;

/**
 * Crash recovery for one window's Scenario. Each window owns its own autosave file,
 * autosave-<uuid>.mlastudio.json in directory(), held with a QLockFile (the same name ending in
 * .lock) for as long as the window lives. While the document is modified it is written there
 * every periodic interval (30 s) and once edits settle (2 s after the last one), together with the
 * file it belongs to and the time (a top-level "autosave" object; the file stays a valid scenario).
 * The file is removed when the document becomes unmodified (saved, new, discarded) and on remove().
 *
 * At start-up, claimStale() finds the autosaves whose owner is gone (a killed process leaves its
 * lock behind, stale): only those are offered, and the lock is taken over so no other window
 * offers them too. A live window's autosave is never offered, restored or deleted by another.
 */
class Autosave final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Autosave)

public:
    /** What an autosave file holds besides the scenario. */
    struct Info {
        QDateTime savedAt;     //!< when it was written (local time)
        QString filePath;      //!< the scenario's file, empty for an untitled one
        QString autosavePath;  //!< the autosave file itself
    };
    /** An autosave left by a window that is gone, claimed by this process: its lock is held
     *  until it is restored (the restoring window takes it over), discarded or dropped. */
    struct Recovery {
        Info info;
        std::shared_ptr<QLockFile> lock;
    };
    /** Asked whether to restore: true = Restore, false = Discard. */
    using RestorePrompt = std::function<bool(const Info &info)>;

    /** Watches \p scenario (not owned; must outlive this object). Writes into defaultDirectory()
     *  unless setDirectory(). */
    explicit Autosave(Scenario *scenario, QObject *parent = nullptr);
    /** Releases the lock and leaves the file: after an unclean exit it is offered at the next start. */
    ~Autosave() override;

    /** AppDataLocation/autosave */
    static QString defaultDirectory();
    QString directory() const { return m_directory; }
    void setDirectory(const QString &directory) { m_directory = directory; }
    /** The file this window writes; empty until the first write (or restore()) claims one. */
    QString path() const { return m_path; }
    /** \return the lock file that guards \p autosavePath (".mlastudio.json" replaced by ".lock"). */
    static QString lockPathFor(const QString &autosavePath);
    /** Changes the intervals (milliseconds): the periodic write and the quiet time after an edit. */
    void setIntervals(int periodicMs, int settleMs);

    /** Starts writing on edits and on the periodic timer (not running after construction). */
    void start();
    /** Stops the timers; the file stays. */
    void stop();
    bool isActive() const { return m_active; }

    /** Writes the document now if it is modified. \return an error message, empty on success or nothing to do. */
    QString writeNow();
    /** Deletes this window's autosave file (clean shutdown, or nothing left to recover). */
    void remove();

    /**
     * Claims every autosave in \p directory whose owner is gone: its lock is stale (the process
     * died) or missing. Live windows' autosaves are left alone. Stale locks without an autosave
     * are cleaned up. \return the claimed recoveries, oldest first.
     */
    static std::vector<Recovery> claimStale(const QString &directory);
    /** \return what the autosave file at \p path holds (best effort: a damaged file gives its time only). */
    static Info readInfo(const QString &path);
    /**
     * Loads \p recovery into the scenario: modified, with the original file path. This window then
     * owns that autosave file and its lock, and writes it straight back so a second crash still
     * finds it. \return an error message, empty on success (on error \p recovery is left as it was).
     */
    QString restore(Recovery &recovery);
    /** Deletes the recovery's autosave file and releases its lock. */
    static void discard(Recovery &recovery);
    /** Keeps an autosave that cannot be loaded as PATH.unreadable, so it is not offered again. */
    static void setAside(Recovery &recovery);

signals:
    /** The autosave file was written. */
    void written(const QString &path);
    /** A write failed (e.g. the disk is full); the previous autosave, if any, is unchanged. */
    void failed(const QString &error);

private:
    void scheduleWrite();
    void documentModifiedChanged(bool modified);
    QString claimFile();

    Scenario *m_scenario = nullptr;
    QString m_directory;
    QString m_path;
    std::shared_ptr<QLockFile> m_lock;
    QTimer *m_periodic = nullptr;
    QTimer *m_settle = nullptr;
    bool m_active = false;
    bool m_dirty = false;  //!< edits since the last write
};

} // namespace mlastudio::ui
