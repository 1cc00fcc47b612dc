// SPDX-License-Identifier: MIT
#include "autosave.h"

#include "scenario.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>

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

} // namespace

Autosave::Autosave(Scenario *scenario, QObject *parent)
    : QObject(parent)
    , m_scenario(scenario)
    , m_path(defaultPath())
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
}

Autosave::~Autosave() = default;

QString Autosave::defaultPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/autosave/working") + QLatin1String(kScenarioSuffix);
}

void Autosave::setIntervals(int periodicMs, int settleMs)
{
    m_periodic->setInterval(periodicMs);
    m_settle->setInterval(settleMs);
}

void Autosave::start()
{
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
    if (m_active && m_scenario->isModified())
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

QString Autosave::writeNow()
{
    m_settle->stop();
    if (!m_scenario->isModified())
        return {};
    json j = m_scenario->toJson();
    j[kAutosaveKey] = {
        {"file_path", m_scenario->filePath().toStdString()},
        {"saved_at", QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toStdString()},
    };
    const QByteArray bytes = QByteArray::fromStdString(j.dump(2)) + '\n';
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
        return tr("%1: cannot create the folder").arg(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("%1: cannot write the file (%2)").arg(m_path, file.errorString());
    if (file.write(bytes) != bytes.size()) {
        const QString why = file.errorString();
        file.cancelWriting();
        return tr("%1: writing failed (%2)").arg(m_path, why);
    }
    if (!file.commit())
        return tr("%1: cannot save the file (%2)").arg(m_path, file.errorString());
    m_dirty = false;
    emit written(m_path);
    return {};
}

void Autosave::remove()
{
    m_settle->stop();
    QFile::remove(m_path);
}

std::optional<Autosave::Info> Autosave::pending() const
{
    const QFileInfo fi(m_path);
    if (!fi.isFile())
        return std::nullopt;
    // Best effort: a damaged file is still offered (restore() then reports why it cannot load).
    Info info{fi.lastModified(), {}};
    if (const std::optional<json> j = readJson(m_path, nullptr); j && j->is_object()) {
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

QString Autosave::restore()
{
    const std::optional<Info> info = pending();
    if (!info)
        return tr("%1: no autosave").arg(m_path);
    QString error;
    const std::optional<json> j = readJson(m_path, &error);
    if (!j)
        return error;
    // loadJson() starts a clean history, which would delete the file through modifiedChanged;
    // stop watching until the document is marked modified again, then write it back at once.
    const bool wasActive = m_active;
    m_active = false;
    error = m_scenario->loadJson(*j, m_path);
    if (error.isEmpty())
        m_scenario->markRecovered(info->filePath);
    m_active = wasActive;
    if (!error.isEmpty())
        return error;
    return writeNow();
}

bool Autosave::offerRestore(const RestorePrompt &prompt, QString *error)
{
    const std::optional<Info> info = pending();
    if (!info)
        return false;
    if (!prompt(*info)) {
        remove();
        return false;
    }
    const QString why = restore();
    if (error)
        *error = why;
    if (m_scenario->isModified())
        return true;
    // Unloadable: keep it for the user under another name, but do not offer it at every start.
    const QString aside = m_path + QStringLiteral(".unreadable");
    QFile::remove(aside);
    QFile::rename(m_path, aside);
    return false;
}

} // namespace mlastudio::ui
