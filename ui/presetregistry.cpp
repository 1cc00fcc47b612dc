// SPDX-License-Identifier: MIT
#include "presetregistry.h"

#include "mlastudio/core/inputlimits.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>

namespace mlastudio::ui {

namespace {

// Resources (":/presets/…") are regular files by construction; anything else is stat()ed first.
bool isResource(const QString &path)
{
    return path.startsWith(QLatin1Char(':'));
}

QString fileProblem(const QString &path)
{
    if (isResource(path))
        return {};
    return QString::fromStdString(core::inputFileProblem(QFile::encodeName(path).toStdString(), core::kMaxPresetBytes));
}

/**
 * The *.json entries of a folder in name order. Entries that are not regular files (a FIFO, a socket,
 * a directory, a symbolic link to one of those) are skipped with a warning in \p errors: opening a
 * FIFO would block start-up.
 */
QStringList jsonFilesIn(const QString &dir, QStringList *errors)
{
    QStringList files;
    const QDir::Filters filter = isResource(dir) ? QDir::Files : QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot;
    const QStringList names = QDir(dir).entryList({QStringLiteral("*.json")}, filter, QDir::Name);
    for (const QString &name : names) {
        const QString path = dir + QLatin1Char('/') + name;
        if (const QString problem = fileProblem(path); !problem.isEmpty()) {
            if (errors)
                *errors << QStringLiteral("%1: skipped: %2").arg(path, problem);
            continue;
        }
        files << path;
    }
    return files;
}

template<typename Preset, typename Parse>
void loadAll(const QString &kind, Parse parse, std::vector<Preset> &out, QStringList &errors)
{
    for (const QString &path : jsonFilesIn(QStringLiteral(":/presets/") + kind, nullptr))
        out.push_back(parse(PresetRegistry::readPresetFile(path), path.toStdString()));
    const std::size_t shipped = out.size();
    std::vector<QString> sourceOf(shipped); // user file each user-defined entry came from
    const QString singular = kind == QLatin1String("models") ? QStringLiteral("model") : QStringLiteral("hardware");
    for (const QString &path : jsonFilesIn(PresetRegistry::userPresetDir(kind), &errors)) {
        try {
            Preset p = parse(PresetRegistry::readPresetFile(path), path.toStdString());
            // A user preset replaces a shipped one with the same id (on purpose: that is how a user
            // corrects a number). Two user files with one id are a mistake: the later name wins, and
            // the user is told so.
            auto same = std::find_if(out.begin(), out.end(), [&](const Preset &q) { return q.config.id == p.config.id; });
            if (same == out.end()) {
                out.push_back(std::move(p));
                sourceOf.push_back(path);
                continue;
            }
            const std::size_t index = std::size_t(same - out.begin());
            if (!sourceOf[index].isEmpty())
                errors << QStringLiteral("%1: %2 preset id \"%3\" is also defined by %4; using %1 (of user presets "
                                         "with the same id, the file name that sorts last wins)")
                              .arg(path, singular, QString::fromStdString(p.config.id), sourceOf[index]);
            *same = std::move(p);
            sourceOf[index] = path;
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
    if (const QString problem = fileProblem(path); !problem.isEmpty())
        throw core::PresetError(path.toStdString(), "", problem.toStdString());
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
    // exists() follows links and also sees FIFOs and directories: readPresetFile() says what they are.
    if (QFileInfo::exists(idOrPath))
        return core::parseHardwarePreset(readPresetFile(idOrPath), idOrPath.toStdString());
    throw core::PresetError(idOrPath.toStdString(), "", "no hardware preset has this id and no such file exists (see 'mla-studio presets')");
}

core::ModelPreset PresetRegistry::findModel(const QString &idOrPath) const
{
    for (const core::ModelPreset &p : m_models)
        if (QString::fromStdString(p.config.id) == idOrPath)
            return p;
    // exists() follows links and also sees FIFOs and directories: readPresetFile() says what they are.
    if (QFileInfo::exists(idOrPath))
        return core::parseModelPreset(readPresetFile(idOrPath), idOrPath.toStdString());
    throw core::PresetError(idOrPath.toStdString(), "", "no model preset has this id and no such file exists (see 'mla-studio presets')");
}

} // namespace mlastudio::ui
