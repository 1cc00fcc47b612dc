// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QTimer;

namespace mlastudio::ui {

class Scenario;

/**
 * Crash recovery for one Scenario. While the document is modified, writes it atomically to
 * path() every periodic interval (30 s) and once edits settle (2 s after the last one), together
 * with the file it belongs to and the time (a top-level "autosave" object; the file stays a valid
 * scenario). Removes the file when the document becomes unmodified (saved, new, discarded) and on
 * remove(). A file that is still there at the next start means the previous process did not shut
 * down cleanly: pending() describes it and restore() loads it.
 */
class Autosave final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Autosave)

public:
    /** What an autosave file holds besides the scenario. */
    struct Info {
        QDateTime savedAt;  //!< when it was written (local time)
        QString filePath;   //!< the scenario's file, empty for an untitled one
    };
    /** Asked whether to restore: true = Restore, false = Discard. */
    using RestorePrompt = std::function<bool(const Info &info)>;

    /** Watches \p scenario (not owned; must outlive this object). Writes to defaultPath() unless setPath(). */
    explicit Autosave(Scenario *scenario, QObject *parent = nullptr);
    ~Autosave() override;

    /** AppDataLocation/autosave/working.mlastudio.json */
    static QString defaultPath();
    QString path() const { return m_path; }
    void setPath(const QString &path) { m_path = path; }
    /** Changes the intervals (milliseconds): the periodic write and the quiet time after an edit. */
    void setIntervals(int periodicMs, int settleMs);

    /** Starts writing on edits and on the periodic timer (not running after construction). */
    void start();
    /** Stops the timers; the file stays. */
    void stop();
    bool isActive() const { return m_active; }

    /** Writes the document now if it is modified. \return an error message, empty on success or nothing to do. */
    QString writeNow();
    /** Deletes the autosave file (clean shutdown). */
    void remove();

    /** \return what the autosave file at path() holds, or nothing if there is none (or it is unreadable). */
    std::optional<Info> pending() const;
    /**
     * Loads the autosave into the scenario: modified, with the original file path, and writes it
     * straight back so a second crash still finds it. \return an error message, empty on success.
     */
    QString restore();
    /**
     * If an autosave is pending, asks \p prompt; restores it or deletes it accordingly.
     * \return true if a scenario was restored.
     */
    bool offerRestore(const RestorePrompt &prompt, QString *error = nullptr);

signals:
    /** The autosave file was written. */
    void written(const QString &path);

private:
    void scheduleWrite();
    void documentModifiedChanged(bool modified);

    Scenario *m_scenario = nullptr;
    QString m_path;
    QTimer *m_periodic = nullptr;
    QTimer *m_settle = nullptr;
    bool m_active = false;
    bool m_dirty = false;  //!< edits since the last write
};

} // namespace mlastudio::ui
