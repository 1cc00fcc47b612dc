// SPDX-License-Identifier: MIT
#include "presetregistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>

namespace mlastudio::ui {

namespace {

QStringList jsonFilesIn(const QString &dir)
{
    QStringList files;
    const QStringList names = QDir(dir).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : names)
        files << dir + QLatin1Char('/') + name;
    return files;
}

template<typename Preset, typename Parse>
void loadAll(const QString &kind, Parse parse, std::vector<Preset> &out, QStringList &errors)
{
    for (const QString &path : jsonFilesIn(QStringLiteral(":/presets/") + kind))
        out.push_back(parse(PresetRegistry::readPresetFile(path), path.toStdString()));
    for (const QString &path : jsonFilesIn(PresetRegistry::userPresetDir(kind))) {
        try {
            Preset p = parse(PresetRegistry::readPresetFile(path), path.toStdString());
            // A user preset with a shipped id replaces the shipped one.
            auto same = std::find_if(out.begin(), out.end(), [&](const Preset &q) { return q.config.id == p.config.id; });
            if (same != out.end())
                *same = std::move(p);
            else
                out.push_back(std::move(p));
        } catch (const core::PresetError &e) {
            errors << QString::fromStdString(e.what());
        }
    }
}

} // namespace

PresetRegistry::PresetRegistry()
{
    loadAll<core::HardwarePreset>(QStringLiteral("hardware"), core::parseHardwarePreset, m_hardware, m_errors);
    loadAll<core::ModelPreset>(QStringLiteral("models"), core::parseModelPreset, m_models, m_errors);
}

QString PresetRegistry::userPresetDir(const QString &kind)
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/presets/") + kind;
}

std::string PresetRegistry::readPresetFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw core::PresetError(path.toStdString(), "", "cannot open the file for reading (" + file.errorString().toStdString() + ")");
    if (file.size() > qint64(core::kMaxPresetBytes))
        throw core::PresetError(path.toStdString(), "", "file is larger than the " + std::to_string(core::kMaxPresetBytes) + "-byte limit for presets");
    return file.readAll().toStdString();
}

core::HardwarePreset PresetRegistry::findHardware(const QString &idOrPath) const
{
    for (const core::HardwarePreset &p : m_hardware)
        if (QString::fromStdString(p.config.id) == idOrPath)
            return p;
    if (QFileInfo::exists(idOrPath))
        return core::parseHardwarePreset(readPresetFile(idOrPath), idOrPath.toStdString());
    throw core::PresetError(idOrPath.toStdString(), "", "no hardware preset has this id and no such file exists (see 'mla-studio presets')");
}

core::ModelPreset PresetRegistry::findModel(const QString &idOrPath) const
{
    for (const core::ModelPreset &p : m_models)
        if (QString::fromStdString(p.config.id) == idOrPath)
            return p;
    if (QFileInfo::exists(idOrPath))
        return core::parseModelPreset(readPresetFile(idOrPath), idOrPath.toStdString());
    throw core::PresetError(idOrPath.toStdString(), "", "no model preset has this id and no such file exists (see 'mla-studio presets')");
}

} // namespace mlastudio::ui
