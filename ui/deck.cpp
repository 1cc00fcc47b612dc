// SPDX-License-Identifier: MIT
#include "deck.h"

#include "atomicwrite.h"
#include "scenario.h"
#include "views/plotview.h"

#include "mlastudio/core/inputlimits.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPageSize>
#include <QPdfWriter>

#include <cmath>
#include <memory>

namespace mlastudio::ui {

using nlohmann::json;

namespace {

// Handout pages are laid out in 1/96 in, like every export (fonts in points keep their size).
constexpr double kLogicalDpi = 96.0;

QString typeName(const json &j)
{
    return QString::fromLatin1(j.type_name());
}

QString readDeckFile(const QString &path, QByteArray *bytes)
{
    if (!path.startsWith(QLatin1Char(':'))) {
        const std::string problem = core::inputFileProblem(QFile::encodeName(path).toStdString(), kMaxDeckBytes);
        if (!problem.empty())
            return QStringLiteral("%1: %2").arg(path, QString::fromStdString(problem));
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return QObject::tr("%1: cannot open the deck for reading (%2)").arg(path, file.errorString());
    *bytes = file.read(kMaxDeckBytes + 1);
    if (bytes->size() > kMaxDeckBytes)
        return QObject::tr("%1: the file is larger than %2 bytes (4 MiB)").arg(path).arg(kMaxDeckBytes);
    return {};
}

} // namespace

QString Deck::stepLabel(int index) const
{
    return QObject::tr("%1, step %2").arg(filePath).arg(index + 1);
}

QString loadDeck(const QString &path, Deck *deck)
{
    QByteArray bytes;
    if (const QString error = readDeckFile(path, &bytes); !error.isEmpty())
        return error;
    return parseDeck(bytes, path, deck);
}

QString parseDeck(const QByteArray &bytes, const QString &path, Deck *deck)
{
    json j;
    try {
        j = json::parse(bytes.constBegin(), bytes.constEnd());
    } catch (const json::exception &e) {
        return QObject::tr("%1: not valid JSON (%2); expected a deck (docs/decks.md)").arg(path, QString::fromUtf8(e.what()));
    }
    if (!j.is_object())
        return QObject::tr("%1: expected a JSON object at the top level, got %2").arg(path, typeName(j));
    for (auto it = j.begin(); it != j.end(); ++it)
        if (it.key() != "schema" && it.key() != "title" && it.key() != "steps")
            return QObject::tr("%1: unknown key \"%2\" (expected schema, title, steps)").arg(path, QString::fromStdString(it.key()));
    const auto schema = j.find("schema");
    if (schema == j.end() || !schema->is_string() || schema->get<std::string>() != kDeckSchema)
        return QObject::tr("%1: schema: expected \"%2\"").arg(path, QString::fromLatin1(kDeckSchema));

    Deck result;
    result.filePath = path;
    if (const auto t = j.find("title"); t != j.end()) {
        if (!t->is_string())
            return QObject::tr("%1: title: expected a string, got %2").arg(path, typeName(*t));
        result.title = QString::fromStdString(t->get<std::string>());
    }
    const auto steps = j.find("steps");
    if (steps == j.end() || !steps->is_array() || steps->empty())
        return QObject::tr("%1: steps: expected a non-empty array of steps").arg(path);

    const QDir base = QFileInfo(path).dir();
    for (std::size_t i = 0; i < steps->size(); ++i) {
        const json &s = (*steps)[i];
        const QString where = QObject::tr("%1: step %2 (steps[%3])").arg(path).arg(i + 1).arg(i);
        if (!s.is_object())
            return QObject::tr("%1: expected an object, got %2").arg(where, typeName(s));
        for (auto it = s.begin(); it != s.end(); ++it)
            if (it.key() != "scenario" && it.key() != "caption" && it.key() != "view")
                return QObject::tr("%1: unknown key \"%2\" (expected scenario, caption, view)")
                    .arg(where, QString::fromStdString(it.key()));
        DeckStep step;
        const auto caption = s.find("caption");
        if (caption == s.end() || !caption->is_string())
            return QObject::tr("%1: caption: expected a string").arg(where);
        step.caption = QString::fromStdString(caption->get<std::string>());
        if (const auto v = s.find("view"); v != s.end()) {
            const QString name = v->is_string() ? QString::fromStdString(v->get<std::string>()) : QString();
            const std::optional<ViewId> view = viewIdFromName(name);
            if (!view)
                return QObject::tr("%1: view: expected one of %2, got %3")
                    .arg(where, plotViewIds().join(QStringLiteral(", ")),
                         v->is_string() ? QLatin1Char('"') + name + QLatin1Char('"') : typeName(*v));
            step.view = *view;
        }
        const auto scenario = s.find("scenario");
        if (scenario == s.end())
            return QObject::tr("%1: scenario: missing (a scenario file or an embedded scenario object)").arg(where);
        Scenario check;
        if (scenario->is_string()) {
            const QString name = QString::fromStdString(scenario->get<std::string>());
            const QString file = QDir::cleanPath(base.filePath(name));
            if (const QString error = check.open(file); !error.isEmpty())
                return QObject::tr("%1: scenario \"%2\": %3").arg(where, name, error);
            step.source = file;
        } else if (scenario->is_object()) {
            if (const QString error = check.loadJson(*scenario, QStringLiteral("scenario")); !error.isEmpty())
                return QStringLiteral("%1: %2").arg(where, error);
        } else {
            return QObject::tr("%1: scenario: expected a file name or an object, got %2").arg(where, typeName(*scenario));
        }
        step.scenarioJson = check.toJson().dump();
        result.steps.push_back(std::move(step));
    }
    *deck = std::move(result);
    return {};
}

QString presentFileKind(const QString &path, PresentFile *kind)
{
    QByteArray bytes;
    if (const QString error = readDeckFile(path, &bytes); !error.isEmpty())
        return error;
    const QString expected = QObject::tr("expected a deck (schema \"%1\") or a scenario (schema \"%2\")")
                                 .arg(QString::fromLatin1(kDeckSchema), QString::fromLatin1(kScenarioSchema));
    json j;
    try {
        j = json::parse(bytes.constBegin(), bytes.constEnd());
    } catch (const json::exception &e) {
        return QObject::tr("%1: not valid JSON (%2); %3").arg(path, QString::fromUtf8(e.what()), expected);
    }
    if (!j.is_object())
        return QObject::tr("%1: a JSON %2, not an object; %3").arg(path, typeName(j), expected);
    const auto schema = j.find("schema");
    if (schema == j.end()) {
        // A deck without its schema line still gets the deck loader's message, which names the key.
        if (j.contains("steps")) {
            *kind = PresentFile::Deck;
            return {};
        }
        return QObject::tr("%1: no \"schema\" key; %2").arg(path, expected);
    }
    const std::string name = schema->is_string() ? schema->get<std::string>() : std::string();
    if (name == kDeckSchema)
        *kind = PresentFile::Deck;
    else if (name == kScenarioSchema)
        *kind = PresentFile::Scenario;
    else
        return QObject::tr("%1: schema %2; %3")
            .arg(path, schema->is_string() ? QLatin1Char('"') + QString::fromStdString(name) + QLatin1Char('"') : typeName(*schema), expected);
    return {};
}

QString applyDeckStep(const Deck &deck, int index, Scenario *scenario)
{
    if (!scenario || index < 0 || index >= int(deck.steps.size()))
        return QObject::tr("%1: no step %2").arg(deck.filePath).arg(index + 1);
    return scenario->loadJson(json::parse(deck.steps[std::size_t(index)].scenarioJson), deck.stepLabel(index));
}

ExportOptions defaultDeckOptions()
{
    ExportOptions o;
    o.setSizeString(QStringLiteral("slide"));
    o.theme = ThemeId::Slides;
    return o;
}

QByteArray renderDeckPdf(const Deck &deck, const ExportOptions &options, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return QByteArray();
    };
    if (deck.steps.empty())
        return fail(QObject::tr("%1: the deck has no steps").arg(deck.filePath));
    if (const QString invalid = PlotExporter::validate(options, ExportFormat::Pdf); !invalid.isEmpty())
        return fail(invalid);
    const QSizeF inches = options.resolvedSizeInches();
    const int w = int(std::lround(inches.width() * kLogicalDpi));
    const int h = int(std::lround(inches.height() * kLogicalDpi));
    const FigureTheme theme = FigureTheme::preset(options.theme);

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setCreator(QStringLiteral("MLA Studio"));
    writer.setTitle(deck.title);
    writer.setResolution(int(kLogicalDpi));
    writer.setPageSize(QPageSize(inches, QPageSize::Inch, QString(), QPageSize::ExactMatch));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QCPPainter painter;
    if (!painter.begin(&writer))
        return fail(QObject::tr("cannot render the PDF"));

    QFont captionFont(theme.fontFamily);
    captionFont.setPointSizeF(theme.fontPointSize * 1.15);
    QFont counterFont = captionFont;
    counterFont.setPointSizeF(theme.fontPointSize * 0.8);
    const int margin = int(std::lround(0.2 * kLogicalDpi));
    for (int i = 0; i < int(deck.steps.size()); ++i) {
        if (i > 0 && !writer.newPage())
            return fail(QObject::tr("cannot start page %1 of the PDF").arg(i + 1));
        const DeckStep &step = deck.steps[std::size_t(i)];
        painter.fillRect(QRect(0, 0, w, h), theme.background);

        // The caption above the figure, wrapped to the page width; the step counter on the right.
        painter.setPen(theme.foreground);
        painter.setFont(counterFont);
        const QString counter = QStringLiteral("%1 / %2").arg(i + 1).arg(deck.steps.size());
        const int counterWidth = painter.fontMetrics().horizontalAdvance(counter) + margin;
        painter.drawText(QRect(0, margin, w - margin, h), Qt::AlignRight | Qt::AlignTop, counter);
        painter.setFont(captionFont);
        const QRect captionBox(margin, margin, w - 2 * margin - counterWidth, h / 3);
        const QRect used = painter.boundingRect(captionBox, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, step.caption);
        painter.drawText(captionBox, Qt::TextWordWrap | Qt::AlignLeft | Qt::AlignTop, step.caption);
        const int top = used.bottom() + margin / 2;

        Scenario scenario;
        if (const QString e = applyDeckStep(deck, i, &scenario); !e.isEmpty())
            return fail(e);
        const std::unique_ptr<PlotView> view(createPlotView(step.view, &scenario));
        painter.save();
        painter.translate(0, top);
        PlotExporter::paintFigure(view.get(), &painter, QSize(w, h - top), options.theme);
        painter.restore();
    }
    if (!painter.end())
        return fail(QObject::tr("cannot finish the PDF"));
    if (buffer.data().isEmpty())
        return fail(QObject::tr("the PDF renderer produced no data"));
    return buffer.data();
}

QString exportDeckPdf(const Deck &deck, const QString &path, const ExportOptions &options)
{
    QString error;
    const QByteArray bytes = renderDeckPdf(deck, options, &error);
    if (bytes.isEmpty())
        return QObject::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(path), error);
    return writeFileAtomically(path, bytes);
}

} // namespace mlastudio::ui
