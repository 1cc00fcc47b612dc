// SPDX-License-Identifier: MIT
#include "measuredset.h"

#include "presetregistry.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace mlastudio::ui {

namespace {

const QString kShippedDir = QStringLiteral(":/presets/measured");

} // namespace

QStringList shippedMeasuredFiles()
{
    QStringList files;
    for (const QString &name : QDir(kShippedDir).entryList({QStringLiteral("*.csv")}, QDir::Files, QDir::Name))
        files << kShippedDir + QLatin1Char('/') + name;
    return files;
}

QString measuredFileDisplayName(const QString &path)
{
    if (path.startsWith(kShippedDir + QLatin1Char('/')))
        return path.mid(2);  // "presets/measured/NAME.csv", as in the source tree
    return path;
}

std::vector<core::MeasuredPoint> loadMeasuredPoints(const QStringList &paths, const PresetRegistry &registry)
{
    core::PresetIdCheck known;
    known.hardware = [&](const std::string &id) {
        return std::any_of(registry.hardware().begin(), registry.hardware().end(),
                           [&](const core::HardwarePreset &p) { return p.config.id == id; });
    };
    known.model = [&](const std::string &id) {
        return std::any_of(registry.models().begin(), registry.models().end(),
                           [&](const core::ModelPreset &p) { return p.config.id == id; });
    };
    std::vector<core::MeasuredPoint> points;
    for (const QString &path : paths) {
        std::vector<core::MeasuredPoint> filePoints;
        if (path.startsWith(QLatin1String(":/"))) {
            // Embedded files are regular and size-checked by the parser.
            QFile file(path);
            const std::string name = measuredFileDisplayName(path).toStdString();
            if (!file.open(QIODevice::ReadOnly))
                throw core::MeasuredError(name, 0, {}, "cannot open the file (" + file.errorString().toStdString() + ")");
            filePoints = core::parseMeasuredCsv(file.read(qint64(core::kMaxMeasuredBytes) + 1).toStdString(), name, known);
        } else {
            filePoints = core::loadMeasuredCsvFile(QFile::encodeName(path).toStdString(), known);
        }
        for (core::MeasuredPoint &p : filePoints) {
            if (!path.startsWith(QLatin1String(":/")))
                p.file = path.toStdString();  // as the user typed it
            points.push_back(std::move(p));
        }
    }
    return points;
}

std::vector<core::ValidationRow> validationRows(const std::vector<core::MeasuredPoint> &points,
                                                const PresetRegistry &registry)
{
    std::vector<core::ValidationRow> rows;
    rows.reserve(points.size());
    for (const core::MeasuredPoint &p : points) {
        core::ValidationRow row;
        row.point = p;
        row.params = core::measuredPointParameters(p, registry.findModel(QString::fromStdString(p.modelId)).config,
                                                   registry.findHardware(QString::fromStdString(p.hardwareId)).config, true);
        core::predictRow(row, core::kernelTimeS);
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace mlastudio::ui
