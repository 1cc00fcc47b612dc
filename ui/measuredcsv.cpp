// SPDX-License-Identifier: MIT
#include "measuredcsv.h"

#include "mlastudio/core/inputlimits.h"

#include <QCoreApplication>
#include <QFile>
#include <QStringList>

#include <cmath>

namespace mlastudio::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MeasuredCsv", text);
}

/** Splits one CSV line (RFC 4180 quoting, no embedded newlines). \return false on a bad quote. */
bool splitCsvLine(const QString &line, QStringList &fields)
{
    fields.clear();
    QString field;
    bool quoted = false;
    bool wasQuoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < line.size() && line.at(i + 1) == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char(',')) {
            fields << (wasQuoted ? field : field.trimmed());
            field.clear();
            wasQuoted = false;
        } else if (c == QLatin1Char('"') && field.trimmed().isEmpty()) {
            field.clear();
            quoted = true;
            wasQuoted = true;
        } else {
            field += c;
        }
    }
    if (quoted)
        return false;
    fields << (wasQuoted ? field : field.trimmed());
    return true;
}

} // namespace

QVector<MeasuredPoint> parseMeasuredCsv(const QString &text, const QString &fileName, QString *error)
{
    QVector<MeasuredPoint> points;
    auto failAt = [&](int line, const QString &message) {
        if (error)
            *error = QStringLiteral("%1:%2: %3").arg(fileName).arg(line).arg(message);
        points.clear();
        return points;
    };
    if (error)
        error->clear();

    QString body = text;
    if (body.startsWith(QChar(0xFEFF)))
        body.remove(0, 1);
    const QStringList lines = body.split(QLatin1Char('\n'));

    int intensityCol = -1;
    int flopsCol = -1;
    int labelCol = -1;
    bool haveHeader = false;
    QStringList fields;
    for (int n = 0; n < lines.size(); ++n) {
        QString line = lines.at(n);
        if (line.endsWith(QLatin1Char('\r')))
            line.chop(1);
        const int lineNo = n + 1;
        if (line.trimmed().isEmpty() || line.trimmed().startsWith(QLatin1Char('#')))
            continue;
        if (!splitCsvLine(line, fields))
            return failAt(lineNo, tr("unterminated double quote"));

        if (!haveHeader) {
            for (int c = 0; c < fields.size(); ++c) {
                const QString name = fields.at(c).toLower();
                if (name == QLatin1String("intensity_flop_per_byte"))
                    intensityCol = c;
                else if (name == QLatin1String("achieved_flops_per_s"))
                    flopsCol = c;
                else if (name == QLatin1String("label"))
                    labelCol = c;
            }
            if (intensityCol < 0 || flopsCol < 0)
                return failAt(lineNo, tr("expected a header row with the columns intensity_flop_per_byte, "
                                         "achieved_flops_per_s and optionally label, got \"%1\"")
                                          .arg(line.left(200)));
            haveHeader = true;
            continue;
        }

        if (points.size() >= kMaxMeasuredRows)
            return failAt(lineNo, tr("too many rows; at most %1 measured points are accepted").arg(kMaxMeasuredRows));
        const int needed = std::max({intensityCol, flopsCol, labelCol}) + 1;
        if (fields.size() < needed)
            return failAt(lineNo, tr("expected at least %1 columns, got %2").arg(needed).arg(fields.size()));
        MeasuredPoint p;
        const struct {
            int col;
            const char *name;
            double *out;
        } numbers[] = {{intensityCol, "intensity_flop_per_byte", &p.intensityFlopPerByte},
                       {flopsCol, "achieved_flops_per_s", &p.achievedFlopsPerS}};
        for (const auto &num : numbers) {
            bool ok = false;
            const QString cell = fields.at(num.col);
            const double v = cell.toDouble(&ok);
            if (!ok || !std::isfinite(v) || v <= 0.0)
                return failAt(lineNo, tr("column %1 (%2): expected a finite number > 0, got \"%3\"")
                                          .arg(num.col + 1)
                                          .arg(QString::fromLatin1(num.name), cell.left(60)));
            *num.out = v;
        }
        if (labelCol >= 0)
            p.label = fields.at(labelCol).left(200);
        points.push_back(p);
    }
    if (!haveHeader)
        return failAt(1, tr("the file is empty; expected a header row intensity_flop_per_byte,achieved_flops_per_s,label"));
    return points;
}

QVector<MeasuredPoint> readMeasuredCsv(const QString &path, QString *error)
{
    // stat() before open(): a FIFO would block, a directory is not a CSV file.
    if (const std::string problem = core::inputFileProblem(QFile::encodeName(path).toStdString(), kMaxMeasuredCsvBytes);
        !problem.empty()) {
        if (error)
            *error = tr("%1: %2").arg(path, QString::fromStdString(problem));
        return {};
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("%1: cannot open the file for reading (%2)").arg(path, file.errorString());
        return {};
    }
    if (file.size() > kMaxMeasuredCsvBytes) {
        if (error)
            *error = tr("%1: the file is %2 bytes; at most %3 bytes are accepted")
                         .arg(path)
                         .arg(file.size())
                         .arg(kMaxMeasuredCsvBytes);
        return {};
    }
    return parseMeasuredCsv(QString::fromUtf8(file.read(kMaxMeasuredCsvBytes)), path, error);
}

} // namespace mlastudio::ui
