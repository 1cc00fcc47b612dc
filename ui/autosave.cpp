// SPDX-License-Identifier: MIT
#include "autosave.h"

#include "atomicwrite.h"
#include "scenario.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>
#include <QUuid>

#include <algorithm>

#include <nlohmann/json.hpp>

namespace mlastudio::ui {

using nlohmann::json;

namespace {

constexpr int kPeriodicMs = 30 * 1000;
constexpr int kSettleMs = 2 * 1000;

std::optional<json> readJson(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = Autosave::tr("%1: cannot open the file for reading (%2)").arg(path, file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.read(kMaxScenarioBytes + 1);
    if (bytes.size() > kMaxScenarioBytes) {
        if (error)
            *error = Autosave::tr("%1: larger than %2 bytes").arg(path).arg(kMaxScenarioBytes);
        return std::nullopt;
    }
    try {
        return json::parse(bytes.constBegin(), bytes.constEnd());
    } catch (const json::exception &e) {
        if (error)
            *error = Autosave::tr("%1: not valid JSON (%2)").arg(path, QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

// Locks are stale only when their owner is gone, never by age: a window may run for days.
std::shared_ptr<QLockFile> makeLock(const QString &autosavePath)
{
    auto lock = std::make_shared<QLockFile>(Autosave::lockPathFor(autosavePath));
    lock->setStaleLockTime(0);
    return lock;
}

} // namespace

Autosave::Autosave(Scenario *scenario, QObject *parent)
    : QObject(parent)
    , m_scenario(scenario)
    , m_directory(defaultDirectory())
    , m_periodic(new QTimer(this))
    , m_settle(new QTimer(this))
{
    m_periodic->setInterval(kPeriodicMs);
    m_settle->setInterval(kSettleMs);
    m_settle->setSingleShot(true);
    connect(m_periodic, &QTimer::timeout, this, [this] {
        if (m_dirty)
            writeNow();
    });
    connect(m_settle, &QTimer::timeout, this, [this] { writeNow(); });
    // indexChanged covers pushes, merged slider steps, undo and redo.
    connect(m_scenario->undoStack(), &QUndoStack::indexChanged, this, &Autosave::scheduleWrite);
    connect(m_scenario, &Scenario::modifiedChanged, this, &Autosave::documentModifiedChanged);
    connect(m_scenario, &Scenario::filePathChanged, this, &Autosave::scheduleWrite);
    // A window owns both and its scenario may go first: its undo stack, a child deleted after
    // destroyed(), still signals while it clears, when the Scenario part is already gone.
    connect(m_scenario, &QObject::destroyed, this, [this, stack = m_scenario->undoStack()] {
        stack->disconnect(this);
        m_scenario = nullptr;
        stop();
    });
}

Autosave::~Autosave() = default;

QString Autosave::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

QString Autosave::lockPathFor(const QString &autosavePath)
{
    const QString suffix = QString::fromLatin1(kScenarioSuffix);
    const QString stem = autosavePath.endsWith(suffix) ? autosavePath.chopped(suffix.size()) : autosavePath;
    return stem + QStringLiteral(".lock");
}

void Autosave::setIntervals(int periodicMs, int settleMs)
{
    m_periodic->setInterval(periodicMs);
    m_settle->setInterval(settleMs);
}

void Autosave::start()
{
    if (!m_scenario)
        return;
    m_active = true;
    m_periodic->start();
    if (m_scenario->isModified())
        scheduleWrite();
}

void Autosave::stop()
{
    m_active = false;
    m_periodic->stop();
    m_settle->stop();
}

void Autosave::scheduleWrite()
{
    m_dirty = true;
    if (m_active && m_scenario && m_scenario->isModified())
        m_settle->start();  // restarts: the write waits until the edits settle
}

void Autosave::documentModifiedChanged(bool modified)
{
    if (modified) {
        scheduleWrite();
        return;
    }
    // Saved, new or reverted to the saved state: nothing left to recover.
    m_settle->stop();
    m_dirty = false;
    if (m_active)
        remove();
}

QString Autosave::claimFile()
{
    if (m_lock && !m_path.isEmpty())
        return {};
    if (!QDir().mkpath(m_directory))
        return tr("%1: cannot create the folder").arg(QDir::toNativeSeparators(m_directory));
    // A new name per window; the lock is taken before the file is first written and held until
    // the window goes, so a file without a live lock always means its window is gone.
    for (int attempt = 0; attempt < 3; ++attempt) {
        const QString path = QDir(m_directory).filePath(QStringLiteral("autosave-%1%2")
                                                            .arg(QUuid::createUuid().toString(QUuid::WithoutBraces),
                                                                 QLatin1String(kScenarioSuffix)));
        std::shared_ptr<QLockFile> lock = makeLock(path);
        if (!QFileInfo::exists(path) && lock->tryLock(0)) {
            m_path = path;
            m_lock = std::move(lock);
            return {};
        }
    }
    return tr("%1: cannot lock a new autosave file").arg(QDir::toNativeSeparators(m_directory));
}

QString Autosave::writeNow()
{
    m_settle->stop();
    if (!m_scenario || !m_scenario->isModified())
        return {};
    if (const QString error = claimFile(); !error.isEmpty()) {
        emit failed(error);
        return error;
    }
    json j = m_scenario->toJson();
    j[kAutosaveKey] = {
        {"file_path", m_scenario->filePath().toStdString()},
        {"saved_at", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()},
    };
    const QByteArray bytes = QByteArray::fromStdString(j.dump(2)) + '\n';
    if (const QString error = writeFileAtomically(m_path, bytes); !error.isEmpty()) {
        emit failed(error);  // the previous autosave, if any, is still there
        return error;
    }
    m_dirty = false;
    emit written(m_path);
    return {};
}

void Autosave::remove()
{
    m_settle->stop();
    if (!m_path.isEmpty())
        QFile::remove(m_path);
}

Autosave::Info Autosave::readInfo(const QString &path)
{
    const QFileInfo fi(path);
    // Best effort: a damaged file is still offered (restore() then reports why it cannot load).
    Info info{fi.lastModified(), {}, fi.absoluteFilePath()};
    if (const std::optional<json> j = readJson(path, nullptr); j && j->is_object()) {
        if (const auto meta = j->find(kAutosaveKey); meta != j->end() && meta->is_object()) {
            if (const auto p = meta->find("file_path"); p != meta->end() && p->is_string())
                info.filePath = QString::fromStdString(p->get<std::string>());
            if (const auto t = meta->find("saved_at"); t != meta->end() && t->is_string()) {
                const QDateTime at = QDateTime::fromString(QString::fromStdString(t->get<std::string>()), Qt::ISODateWithMs);
                if (at.isValid())
                    info.savedAt = at.toLocalTime();
            }
        }
    }
    return info;
}

std::vector<Autosave::Recovery> Autosave::claimStale(const QString &directory)
{
    std::vector<Recovery> found;
    const QDir dir(directory);
    if (!dir.exists())
        return found;
    // Every autosave file, including "working.mlastudio.json" of versions that shared one file.
    for (const QFileInfo &fi : dir.entryInfoList({QStringLiteral("*") + QLatin1String(kScenarioSuffix)}, QDir::Files)) {
        std::shared_ptr<QLockFile> lock = makeLock(fi.absoluteFilePath());
        if (!lock->tryLock(0))
            continue;  // a live window's (or being claimed by another start-up right now)
        if (!fi.exists())
            continue;  // removed by its owner just before we looked; the lock goes with `lock`
        found.push_back({readInfo(fi.absoluteFilePath()), std::move(lock)});
    }
    // Locks of killed windows that had nothing to recover: a stale one is taken over here and
    // removed when `lock` goes out of scope; a live window's stays.
    for (const QFileInfo &fi : dir.entryInfoList({QStringLiteral("autosave-*.lock")}, QDir::Files)) {
        const QString autosavePath = fi.absoluteFilePath().chopped(int(qstrlen(".lock"))) + QLatin1String(kScenarioSuffix);
        if (QFileInfo::exists(autosavePath))
            continue;
        QLockFile lock(fi.absoluteFilePath());
        lock.setStaleLockTime(0);
        lock.tryLock(0);
    }
    std::sort(found.begin(), found.end(),
              [](const Recovery &a, const Recovery &b) { return a.info.savedAt < b.info.savedAt; });
    return found;
}

QString Autosave::restore(Recovery &recovery)
{
    if (!m_scenario)
        return tr("No scenario to restore into");
    const QString path = recovery.info.autosavePath;
    QString error;
    const std::optional<json> j = readJson(path, &error);
    if (!j)
        return error;
    // loadJson() starts a clean history, which would delete the file through modifiedChanged;
    // stop watching until the document is marked modified again, then write it back at once.
    const bool wasActive = m_active;
    m_active = false;
    error = m_scenario->loadJson(*j, path);
    if (error.isEmpty())
        m_scenario->markRecovered(recovery.info.filePath);
    m_active = wasActive;
    if (!error.isEmpty())
        return error;
    // This window's own (empty) autosave, if it had one, gives way to the recovered one.
    if (!m_path.isEmpty() && m_path != path)
        QFile::remove(m_path);
    m_path = path;
    m_lock = std::move(recovery.lock);
    recovery = {};
    return writeNow();
}

void Autosave::discard(Recovery &recovery)
{
    if (recovery.lock && recovery.lock->isLocked())
        QFile::remove(recovery.info.autosavePath);
    recovery = {};  // releases the lock
}

void Autosave::setAside(Recovery &recovery)
{
    if (recovery.lock && recovery.lock->isLocked()) {
        const QString aside = recovery.info.autosavePath + QStringLiteral(".unreadable");
        QFile::remove(aside);
        QFile::rename(recovery.info.autosavePath, aside);
    }
    recovery = {};
}

} // namespace mlastudio::ui
