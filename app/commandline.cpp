// SPDX-License-Identifier: MIT
#include "commandline.h"

#include "atomicwrite.h"
#include "benchui.h"
#include "deck.h"
#include "measuredset.h"
#include "presetregistry.h"
#include "scenario.h"
#include "views/figuretheme.h"
#include "views/plotexporter.h"
#include "views/plotview.h"
#include "views/viewfactory.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/fields.h"
#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/measured.h"
#include "mlastudio/core/platforms.h"
#include "mlastudio/core/report.h"
#include "mlastudio/core/serving.h"
#include "mlastudio/core/validation.h"
#include "mlastudio/core/sweep.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTextStream>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>

namespace mlastudio::app {

namespace {

using core::Scheme;

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file that cannot be read or written; the message names the file.
class FileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct Subcommand {
    const char *name;
    const char *summary;
};

constexpr Subcommand kSubcommands[] = {
    {"presets", "List the model and hardware presets by id."},
    {"evaluate", "Evaluate schemes for a model, hardware and workload; print a table, JSON or CSV."},
    {"validate", "Compare the model's kernel times with published measurements (presets/measured/); --fit calibrates."},
    {"sweep", "Evaluate schemes along one numeric field in one process; print CSV or JSON."},
    {"export", "Render one view of a scenario file to PDF, SVG or PNG (and its data to CSV/JSON)."},
    {"figures", "Render the default figure set (every view) into a directory."},
    {"gallery", "Render the shipped scenarios (presets/scenarios/) as SVG and PNG into a directory (docs/gallery)."},
    {"deck", "Render a deck (a scenario sequence with captions; default: the built-in one) as a multi-page PDF handout."},
    {"bench-ui", "Drive the sliders offscreen: slider-to-replot latency, cold start, memory (--soak N)."},
};

// Subcommands that draw widgets need a QApplication (offscreen when there is no display).
constexpr const char *kWidgetSubcommands[] = {"export", "figures", "gallery", "deck", "bench-ui"};

int parseInt(const QCommandLineParser &p, const QString &name, int min, int max)
{
    bool ok = false;
    const QString text = p.value(name);
    const qlonglong v = text.toLongLong(&ok);
    if (!ok || v < min || v > max)
        throw UsageError(QStringLiteral("--%1: expected an integer from %2 to %3, got '%4'")
                             .arg(name).arg(min).arg(max).arg(text).toStdString());
    return int(v);
}

double parsePositive(const QCommandLineParser &p, const QString &name, bool zeroAllowed = false)
{
    bool ok = false;
    const QString text = p.value(name);
    const double v = text.toDouble(&ok);
    if (!ok || !std::isfinite(v) || (zeroAllowed ? v < 0.0 : v <= 0.0))
        throw UsageError(QStringLiteral("--%1: expected a finite number %2 0, got '%3'")
                             .arg(name, zeroAllowed ? QStringLiteral(">=") : QStringLiteral(">"), text).toStdString());
    return v;
}

QString optionName(const core::FieldInfo &f)
{
    return QString::fromLatin1(f.cliName.data(), qsizetype(f.cliName.size()));
}

// The value of a field's option in SI units, range-checked (core/src/inputlimits.cpp) before any
// conversion to int; the error names the option and repeats the value in the units it was typed in.
double parseField(const QCommandLineParser &p, const core::FieldInfo &f)
{
    const QString name = optionName(f);
    const QString text = p.value(name).trimmed();
    const core::InputLimit *limit = core::inputLimit(f.field);
    if (!limit) { // a field without a row in the table (tst_properties reports it): finite is all we know
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok || !std::isfinite(v))
            throw UsageError(QStringLiteral("--%1: expected a finite number, got '%2'").arg(name, text).toStdString());
        return v * f.displayScale;
    }
    const std::string typed = text.toStdString();
    bool ok = false;
    double display = 0.0;
    if (limit->kind == core::LimitKind::Integer || limit->kind == core::LimitKind::Bits) {
        const qlonglong n = text.toLongLong(&ok);
        if (!ok) {
            // Not a plain integer: say so with the range (a number in range like 2.5, or 1e40, or text).
            throw UsageError(QStringLiteral("--%1: %2").arg(name, QString::fromStdString(
                                 core::limitMessage(*limit, 0.0, 1.0, "", "'" + typed + "'"))).toStdString());
        }
        display = double(n);
    } else {
        display = text.toDouble(&ok);
        if (!ok)
            throw UsageError(QStringLiteral("--%1: expected a number, got '%2'").arg(name, text).toStdString());
    }
    const double si = display * f.displayScale;
    if (!core::withinLimit(*limit, si))
        throw UsageError(QStringLiteral("--%1: %2")
                             .arg(name, QString::fromStdString(core::limitMessage(*limit, si, f.displayScale, f.unit, typed)))
                             .toStdString());
    return si;
}

double parseField(const QCommandLineParser &p, core::Field field)
{
    return parseField(p, core::fieldInfo(field));
}

// Scheme list: "all", "auto", or comma-separated ids.
struct SchemeChoice {
    std::vector<Scheme> schemes;
    bool addAuto = false;
};

SchemeChoice parseSchemes(const QString &text)
{
    SchemeChoice c;
    for (const QString &word : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString w = word.trimmed();
        if (w == QLatin1String("all")) {
            c.schemes.assign(core::kAllSchemes.begin(), core::kAllSchemes.end());
        } else if (w == QLatin1String("auto")) {
            c.addAuto = true;
        } else if (auto s = core::schemeFromId(w.toStdString())) {
            c.schemes.push_back(*s);
        } else {
            QStringList ids;
            for (Scheme known : core::kAllSchemes)
                ids << QString::fromUtf8(core::schemeId(known).data(), qsizetype(core::schemeId(known).size()));
            throw UsageError(QStringLiteral("--scheme: unknown scheme '%1'; expected all, auto or one of: %2")
                                 .arg(w, ids.join(QStringLiteral(", "))).toStdString());
        }
    }
    if (c.schemes.empty() && !c.addAuto)
        throw UsageError("--scheme: expected at least one scheme");
    return c;
}

// Parses a subcommand's arguments. \return true if --help was asked for (and printed).
// \throws UsageError for unknown options or more than maxPositional positional arguments.
bool parseSubcommand(QCommandLineParser &parser, const QStringList &args, QTextStream &out, int maxPositional = 1)
{
    if (!parser.parse(args))
        throw UsageError(parser.errorText().toStdString());
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return true;
    }
    if (parser.positionalArguments().size() > maxPositional)
        throw UsageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().at(maxPositional)).toStdString());
    return false;
}

int runPresets(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the shipped and user presets."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("presets"), QStringLiteral("The subcommand."));
    const QCommandLineOption formatOpt(QStringLiteral("format"), QStringLiteral("table or json."), QStringLiteral("FORMAT"), QStringLiteral("table"));
    parser.addOption(formatOpt);
    if (parseSubcommand(parser, args, out))
        return 0;
    const ui::PresetRegistry registry;
    for (const QString &e : registry.errors())
        err << "warning: " << e << "\n";
    const QString format = parser.value(formatOpt);
    if (format == QLatin1String("json")) {
        nlohmann::json j{{"models", nlohmann::json::array()}, {"hardware", nlohmann::json::array()}};
        for (const auto &m : registry.models())
            j["models"].push_back({{"id", m.config.id}, {"name", m.config.name}, {"source", m.config.source}});
        for (const auto &h : registry.hardware())
            j["hardware"].push_back({{"id", h.config.id}, {"name", h.config.name}, {"category", h.config.category}});
        out << QString::fromStdString(j.dump(2)) << "\n";
        return 0;
    }
    if (format != QLatin1String("table"))
        throw UsageError(QStringLiteral("--format: expected table or json, got '%1'").arg(format).toStdString());
    out << "Models (--model):\n";
    for (const auto &m : registry.models())
        out << "  " << QString::fromStdString(m.config.id).leftJustified(20) << QString::fromStdString(m.config.name) << "\n";
    out << "\nHardware (--hardware):\n";
    for (const auto &h : registry.hardware())
        out << "  " << QString::fromStdString(h.config.id).leftJustified(20) << QString::fromStdString(h.config.name)
            << "  [" << QString::fromStdString(h.config.category) << "]\n";
    out << "\nA path to a JSON preset file is accepted too (schema: docs/presets.md).\n";
    return 0;
}

// Fields the workload options already cover; every other field becomes an override option.
bool isWorkloadOption(core::Field f)
{
    using core::Field;
    return f == Field::Batch || f == Field::KvLength || f == Field::QueryLength || f == Field::WeightBits
           || f == Field::KvBits || f == Field::ActBits;
}

QString fieldOptionHelp(const core::FieldInfo &f)
{
    QString help = QString::fromUtf8(f.label.data(), qsizetype(f.label.size())) + QStringLiteral(" override");
    if (!f.unit.empty())
        help += QStringLiteral(", ") + QString::fromUtf8(f.unit.data(), qsizetype(f.unit.size()));
    // The accepted range in the option's units, from the table every front end checks against.
    const QString symbol = QString::fromUtf8(f.symbol.data(), qsizetype(f.symbol.size()));
    const core::InputLimit *limit = core::inputLimit(f.field);
    if (!limit)
        return help + QStringLiteral(" (symbol %1 in docs/model.md).").arg(symbol);
    QString range = QString::fromStdString(core::limitMessage(*limit, 0.0, f.displayScale, f.unit));
    range = range.left(range.lastIndexOf(QStringLiteral(", got")));
    return help + QStringLiteral(" (symbol %1 in docs/model.md); %2.").arg(symbol, range);
}

void applyFieldOverride(const QCommandLineParser &p, const core::FieldInfo &f, core::Parameters &params)
{
    core::setFieldValue(params, f.field, parseField(p, f));
}

const QString kNormalizeHelp = QStringLiteral(
    "Normalisation of the platform comparison: absolute (tokens/s, J/token), mha (speed-up and energy "
    "relative to MHA on the same platform) or peak (fraction of the platform's roofline peak).");

std::optional<core::Normalization> parseNormalization(const QCommandLineParser &parser)
{
    if (!parser.isSet(QStringLiteral("normalize")))
        return std::nullopt;
    const QString text = parser.value(QStringLiteral("normalize"));
    const std::optional<core::Normalization> n = core::normalizationFromId(text.trimmed().toStdString());
    if (!n)
        throw UsageError(QStringLiteral("--normalize: expected absolute, mha or peak, got '%1'").arg(text).toStdString());
    return n;
}

// "all" (every shipped and user preset) or comma-separated preset ids or files, each once.
std::vector<core::HardwareConfig> parseHardwareList(const ui::PresetRegistry &registry, const QString &text)
{
    std::vector<core::HardwareConfig> list;
    if (text.trimmed() == QLatin1String("all")) {
        for (const core::HardwarePreset &h : registry.hardware())
            list.push_back(h.config);
        return list;
    }
    const QStringList words = QFileInfo(text).isFile() ? QStringList{text} : text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    QStringList seen;
    for (const QString &word : words) {
        const QString id = word.trimmed();
        if (id.isEmpty() || seen.contains(id))
            continue;
        seen << id;
        bool known = false;
        for (const core::HardwarePreset &h : registry.hardware())
            known = known || QString::fromStdString(h.config.id) == id;
        if (!known && !QFileInfo::exists(id)) {
            QStringList ids;
            for (const core::HardwarePreset &h : registry.hardware())
                ids << QString::fromStdString(h.config.id);
            throw UsageError(QStringLiteral("--hardware: unknown hardware '%1'; expected all or a comma-separated list of: %2")
                                 .arg(id, ids.join(QStringLiteral(", "))).toStdString());
        }
        list.push_back(registry.findHardware(id).config);
    }
    if (list.empty())
        throw UsageError(QStringLiteral("--hardware: expected at least one hardware id in '%1'").arg(text).toStdString());
    return list;
}

int printComparison(const QCommandLineParser &parser, const core::Parameters &params,
                    const std::vector<core::HardwareConfig> &platforms, const SchemeChoice &choice,
                    std::optional<core::Normalization> normalization, const QString &format, QTextStream &out,
                    QTextStream &err)
{
    if (choice.addAuto)
        throw UsageError("--scheme: auto is not available with several hardware platforms; name the schemes or use all");
    if (const auto issues = core::validate(params); !issues.empty())
        throw core::ModelError(issues);
    std::vector<core::Scheme> schemes;
    const bool all = parser.value(QStringLiteral("scheme")).contains(QLatin1String("all"));
    for (Scheme s : choice.schemes) {
        if (std::find(schemes.begin(), schemes.end(), s) != schemes.end())
            continue;
        if (!core::isApplicable(params, s)) {
            if (!all)
                throw core::ModelError(core::validateScheme(params, s));
            err << "note: " << QString::fromStdString(core::validateScheme(params, s).front().message) << "\n";
            continue;
        }
        schemes.push_back(s);
    }
    const std::vector<core::PlatformRow> rows = core::comparePlatforms(params, platforms, schemes);
    for (const core::PlatformRow &row : rows)
        if (!row.problem.empty())
            err << "note: " << QString::fromStdString(row.hardware.id) << ": cannot evaluate: "
                << QString::fromStdString(row.problem) << "\n";
    if (format == QLatin1String("json"))
        out << QString::fromStdString(core::platformsToJson(params, rows, normalization).dump(2)) << "\n";
    else if (format == QLatin1String("csv"))
        out << QString::fromStdString(core::platformsToCsv(rows, normalization));
    else
        out << QString::fromStdString(core::platformsToTable(params, rows, normalization));
    return 0;
}

// Serving metrics (docs/model.md §14): --prompt-len and --output-len together, --chunk with them.
void addServingOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("prompt-len"),
                      QStringLiteral("Serving metrics: prompt length P in tokens (with --output-len); adds TTFT, TPOT, end-to-end latency and tokens/s."),
                      QStringLiteral("P")});
    parser.addOption({QStringLiteral("output-len"), QStringLiteral("Serving metrics: output length N in tokens (with --prompt-len)."),
                      QStringLiteral("N")});
    parser.addOption({QStringLiteral("chunk"),
                      QStringLiteral("Serving metrics: chunked prefill with C tokens per step (default: one prefill step)."),
                      QStringLiteral("C")});
}

constexpr int kMaxServingTokens = 1 << 30; // the KV length limit (core/src/inputlimits.cpp)

std::optional<core::ServingRequest> parseServingRequest(const QCommandLineParser &parser)
{
    const bool prompt = parser.isSet(QStringLiteral("prompt-len"));
    const bool output = parser.isSet(QStringLiteral("output-len"));
    if (!prompt && !output) {
        if (parser.isSet(QStringLiteral("chunk")))
            throw UsageError("--chunk: needs --prompt-len and --output-len");
        return std::nullopt;
    }
    if (!prompt)
        throw UsageError("--output-len: needs --prompt-len");
    if (!output)
        throw UsageError("--prompt-len: needs --output-len");
    core::ServingRequest r;
    r.promptTokens = parseInt(parser, QStringLiteral("prompt-len"), 1, kMaxServingTokens);
    r.outputTokens = parseInt(parser, QStringLiteral("output-len"), 1, kMaxServingTokens);
    if (parser.isSet(QStringLiteral("chunk")))
        r.chunkTokens = parseInt(parser, QStringLiteral("chunk"), 1, kMaxServingTokens);
    // The last decode step attends P + N − 1 tokens, which must be a valid KV length.
    if (r.promptTokens + r.outputTokens - 1 > kMaxServingTokens)
        throw UsageError(QStringLiteral("--output-len: the prompt and output together (%1 + %2 − 1 tokens) exceed the KV length limit of %3")
                             .arg(r.promptTokens).arg(r.outputTokens).arg(kMaxServingTokens).toStdString());
    return r;
}

QString servingTable(const core::ServingRequest &request, const std::vector<core::StepResult> &results,
                     const std::vector<core::ServingResult> &serving)
{
    QString text;
    QTextStream out(&text);
    out << "\nserving: prompt " << request.promptTokens << ", output " << request.outputTokens << " tokens";
    if (request.chunkTokens > 0)
        out << ", prefill in chunks of " << request.chunkTokens;
    out << " (B requests in lockstep; TPOT = mean over the output)\n";
    auto si = [](double v, const char *unit) { return QString::fromStdString(core::formatSi(v, unit)); };
    out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
               .arg(QStringLiteral("scheme"), -18).arg(QStringLiteral("TTFT"), 12).arg(QStringLiteral("TPOT"), 12)
               .arg(QStringLiteral("E2E"), 12).arg(QStringLiteral("tok/s/user"), 14).arg(QStringLiteral("tok/s system"), 14);
    for (std::size_t i = 0; i < results.size(); ++i) {
        const std::string_view id = core::schemeId(results[i].scheme);
        QString name = QString::fromLatin1(id.data(), qsizetype(id.size()));
        if (results[i].autoSelected)
            name = QStringLiteral("auto");
        const core::ServingResult &s = serving[i];
        out << QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                   .arg(name, -18).arg(si(s.ttftS, "s"), 12).arg(si(s.tpotS, "s"), 12).arg(si(s.e2eS, "s"), 12)
                   .arg(QString::fromStdString(core::formatTokenRate(s.tokensPerSPerUser, "tok/s")), 14)
                   .arg(QString::fromStdString(core::formatTokenRate(s.tokensPerSSystem, "tok/s")), 14);
    }
    out.flush();
    return text;
}

int runEvaluate(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Evaluate one step of all attention layers (or, with --scope model, of the whole model) with the roofline and energy model of docs/model.md."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("evaluate"), QStringLiteral("The subcommand."));
    auto add = [&](const QString &name, const QString &help, const QString &valueName = {}, const QString &def = {}) {
        QCommandLineOption o(name, help, valueName, def);
        parser.addOption(o);
    };
    add(QStringLiteral("model"), QStringLiteral("Model preset id or JSON file (default deepseek-v3)."), QStringLiteral("NAME|FILE"), QStringLiteral("deepseek-v3"));
    add(QStringLiteral("hardware"), QStringLiteral("Hardware preset id or JSON file (default h100-sxm); a comma-separated list, or all, compares platforms (one row per platform and scheme)."), QStringLiteral("NAME|FILE|LIST"), QStringLiteral("h100-sxm"));
    add(QStringLiteral("scheme"), QStringLiteral("all, auto, or comma-separated scheme ids (default all)."), QStringLiteral("S"), QStringLiteral("all"));
    add(QStringLiteral("phase"), QStringLiteral("decode or prefill (default decode)."), QStringLiteral("PHASE"), QStringLiteral("decode"));
    add(QStringLiteral("batch"), QStringLiteral("Batch size B (default 1)."), QStringLiteral("B"), QStringLiteral("1"));
    add(QStringLiteral("seq-len"), QStringLiteral("KV length L in tokens (default 4096)."), QStringLiteral("L"), QStringLiteral("4096"));
    add(QStringLiteral("query-len"), QStringLiteral("New query tokens S per request per decode step (default 1; prefill uses L)."), QStringLiteral("S"), QStringLiteral("1"));
    add(QStringLiteral("weight-bits"), QStringLiteral("Weight precision: 4, 8 or 16 (default 16)."), QStringLiteral("N"), QStringLiteral("16"));
    add(QStringLiteral("kv-bits"), QStringLiteral("KV-cache precision: 4, 8 or 16 (default 16)."), QStringLiteral("N"), QStringLiteral("16"));
    add(QStringLiteral("act-bits"), QStringLiteral("Activation precision: 4, 8 or 16 (default 16)."), QStringLiteral("N"), QStringLiteral("16"));
    add(QStringLiteral("derate"), QStringLiteral("Realistic kernels: the hardware preset's achievable efficiencies, MMA tile padding, imperfect overlap of math and memory, and latency floor."));
    add(QStringLiteral("scope"), QStringLiteral("step (attention only: all attention operators of all layers, default), model (the whole model: attention, dense FFN/MoE experts, embedding and LM head; --ep splits the experts) or kernel (the attention kernel of one layer, as a kernel benchmark times it)."), QStringLiteral("SCOPE"), QStringLiteral("step"));
    add(QStringLiteral("format"), QStringLiteral("table, json or csv (default table)."), QStringLiteral("FORMAT"), QStringLiteral("table"));
    add(QStringLiteral("normalize"), kNormalizeHelp, QStringLiteral("N"));
    addServingOptions(parser);
    for (const core::FieldInfo &f : core::allFields())
        if (!isWorkloadOption(f.field))
            add(QString::fromLatin1(f.cliName.data(), qsizetype(f.cliName.size())), fieldOptionHelp(f),
                f.unit.empty() ? QStringLiteral("N") : QString::fromUtf8(f.unit.data(), qsizetype(f.unit.size())));

    if (parseSubcommand(parser, args, out))
        return 0;
    const std::optional<core::ServingRequest> serving = parseServingRequest(parser);

    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("table") && format != QLatin1String("json") && format != QLatin1String("csv"))
        throw UsageError(QStringLiteral("--format: expected table, json or csv, got '%1'").arg(format).toStdString());
    const QString phase = parser.value(QStringLiteral("phase"));
    if (phase != QLatin1String("decode") && phase != QLatin1String("prefill"))
        throw UsageError(QStringLiteral("--phase: expected decode or prefill, got '%1'").arg(phase).toStdString());
    const SchemeChoice choice = parseSchemes(parser.value(QStringLiteral("scheme")));
    const QString scope = parser.value(QStringLiteral("scope"));
    const std::optional<core::Scope> scopeValue = core::scopeFromId(scope.toStdString());
    if (!scopeValue)
        throw UsageError(QStringLiteral("--scope: expected step, model or kernel, got '%1'").arg(scope).toStdString());

    const std::optional<core::Normalization> normalization = parseNormalization(parser);

    const ui::PresetRegistry registry;
    for (const QString &e : registry.errors())
        err << "warning: " << e << "\n";
    const QString hardwareText = parser.value(QStringLiteral("hardware"));
    // A list (or "all", or a normalisation) compares platforms; a single id or file keeps the classic output.
    // An existing file whose name contains a comma is one file, not a list.
    const bool oneFile = QFileInfo(hardwareText).isFile();
    const bool comparison = (hardwareText.contains(QLatin1Char(',')) && !oneFile)
                            || hardwareText.trimmed() == QLatin1String("all") || normalization.has_value();
    const std::vector<core::HardwareConfig> platforms =
        comparison ? parseHardwareList(registry, hardwareText) : std::vector<core::HardwareConfig>{};
    core::Parameters params;
    params.model = registry.findModel(parser.value(QStringLiteral("model"))).config;
    params.hardware = comparison ? platforms.front() : registry.findHardware(hardwareText).config;
    params.workload.phase = phase == QLatin1String("prefill") ? core::Phase::Prefill : core::Phase::Decode;
    for (core::Field f : {core::Field::Batch, core::Field::KvLength, core::Field::QueryLength, core::Field::WeightBits,
                          core::Field::KvBits, core::Field::ActBits})
        core::setFieldValue(params, f, parseField(parser, f));
    params.applyDerates = parser.isSet(QStringLiteral("derate"));
    params.scope = *scopeValue;
    for (const core::FieldInfo &f : core::allFields())
        if (!isWorkloadOption(f.field) && parser.isSet(QString::fromLatin1(f.cliName.data(), qsizetype(f.cliName.size())))) {
            // Each platform brings its own hardware numbers: an override would apply to one of them only.
            if (comparison && f.group != core::FieldGroup::Model && f.group != core::FieldGroup::Workload
                && f.group != core::FieldGroup::Precision)
                throw UsageError(QStringLiteral("--%1: hardware overrides cannot be combined with several hardware platforms (--hardware %2)")
                                     .arg(optionName(f), hardwareText).toStdString());
            applyFieldOverride(parser, f, params);
            // Naming an efficiency, the latency floor or the tile means using the realistic model.
            if (f.group == core::FieldGroup::Kernel)
                params.applyDerates = true;
        }

    if (serving && comparison)
        throw UsageError("--prompt-len: serving metrics are not available with several hardware platforms");
    if (serving && format == QLatin1String("csv"))
        throw UsageError("--prompt-len: serving metrics are printed with --format table or json, not csv");
    if (serving && params.scope == core::Scope::Kernel)
        throw UsageError("--prompt-len: serving metrics need --scope step or model (a kernel alone serves no tokens)");
    if (comparison)
        return printComparison(parser, params, platforms, choice, normalization, format, out, err);

    if (const auto issues = core::validate(params); !issues.empty())
        throw core::ModelError(issues);

    std::vector<core::StepResult> results;
    for (Scheme s : choice.schemes) {
        // With "all", schemes that do not apply to this model are skipped with a note; named ones are errors.
        if (!core::isApplicable(params, s) && parser.value(QStringLiteral("scheme")).contains(QLatin1String("all"))) {
            err << "note: " << QString::fromStdString(core::validateScheme(params, s).front().message) << "\n";
            continue;
        }
        results.push_back(core::evaluate(params, s));
    }
    if (choice.addAuto)
        results.push_back(core::evaluateAuto(params));

    std::vector<core::ServingResult> servingResults;
    if (serving)
        for (const core::StepResult &r : results)
            servingResults.push_back(core::evaluateServing(
                params, r.autoSelected ? std::nullopt : std::optional<Scheme>(r.scheme), *serving));

    if (format == QLatin1String("json")) {
        nlohmann::json j = core::evaluationToJson(params, results);
        for (std::size_t i = 0; i < servingResults.size(); ++i)
            j["results"][i]["serving"] = core::servingToJson(*serving, servingResults[i]);
        out << QString::fromStdString(j.dump(2)) << "\n";
    } else if (format == QLatin1String("csv")) {
        out << QString::fromStdString(core::evaluationToCsv(results));
    } else {
        out << QString::fromStdString(core::evaluationToTable(params, results));
        if (serving)
            out << servingTable(*serving, results, servingResults);
    }
    return 0;
}

// The sweep's own options; every evaluate option is accepted too, and fixes the other inputs.
// (The option set and the parameters are built here as runEvaluate() builds them; once the parallel
// work on evaluate is merged the two can share one function.)
int runSweep(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Evaluate schemes at N values of one numeric field in one process. Each row equals what "
        "'mla-studio evaluate' gives with that field's option set to the row's value."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("sweep"), QStringLiteral("The subcommand."));
    auto add = [&](const QString &name, const QString &help, const QString &valueName = {}, const QString &def = {}) {
        parser.addOption(QCommandLineOption(name, help, valueName, def));
    };
    add(QStringLiteral("axis"), QStringLiteral("The field to vary, by its option name without dashes (e.g. seq-len, batch, "
                                               "bandwidth-gbs, kv-lora-rank). Values are in that option's units."),
        QStringLiteral("FIELD"));
    add(QStringLiteral("from"), QStringLiteral("First value of the axis."), QStringLiteral("A"));
    add(QStringLiteral("to"), QStringLiteral("Last value of the axis."), QStringLiteral("B"));
    add(QStringLiteral("points"), QStringLiteral("Number of values from A to B (default 50). Integer fields step by whole "
                                                 "values; repeated values after rounding are dropped."),
        QStringLiteral("N"), QStringLiteral("50"));
    add(QStringLiteral("log"), QStringLiteral("Space the values evenly in log10 (A and B > 0)."));
    add(QStringLiteral("model"), QStringLiteral("Model preset id or JSON file (default deepseek-v3)."), QStringLiteral("NAME|FILE"), QStringLiteral("deepseek-v3"));
    add(QStringLiteral("hardware"), QStringLiteral("Hardware preset id or JSON file (default h100-sxm)."), QStringLiteral("NAME|FILE"), QStringLiteral("h100-sxm"));
    add(QStringLiteral("scheme"), QStringLiteral("all, auto, or comma-separated scheme ids (default all)."), QStringLiteral("S"), QStringLiteral("all"));
    add(QStringLiteral("phase"), QStringLiteral("decode or prefill (default decode)."), QStringLiteral("PHASE"), QStringLiteral("decode"));
    add(QStringLiteral("derate"), QStringLiteral("Realistic kernels (as for evaluate)."));
    add(QStringLiteral("scope"), QStringLiteral("step (default), model or kernel (as for evaluate)."), QStringLiteral("SCOPE"), QStringLiteral("step"));
    add(QStringLiteral("format"), QStringLiteral("csv or json (default csv)."), QStringLiteral("FORMAT"), QStringLiteral("csv"));
    // The workload options have evaluate's defaults; every other field is an override.
    auto workloadDefault = [](core::Field f) {
        using core::Field;
        return f == Field::Batch || f == Field::QueryLength ? QStringLiteral("1")
               : f == Field::KvLength                        ? QStringLiteral("4096")
                                                             : QStringLiteral("16");
    };
    for (const core::FieldInfo &f : core::allFields())
        add(optionName(f), fieldOptionHelp(f), f.unit.empty() ? QStringLiteral("N") : QString::fromUtf8(f.unit.data(), qsizetype(f.unit.size())),
            isWorkloadOption(f.field) ? workloadDefault(f.field) : QString());
    if (parseSubcommand(parser, args, out))
        return 0;

    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("csv") && format != QLatin1String("json"))
        throw UsageError(QStringLiteral("--format: expected csv or json, got '%1'").arg(format).toStdString());
    const QString phase = parser.value(QStringLiteral("phase"));
    if (phase != QLatin1String("decode") && phase != QLatin1String("prefill"))
        throw UsageError(QStringLiteral("--phase: expected decode or prefill, got '%1'").arg(phase).toStdString());
    const QString scope = parser.value(QStringLiteral("scope"));
    const std::optional<core::Scope> scopeValue = core::scopeFromId(scope.toStdString());
    if (!scopeValue)
        throw UsageError(QStringLiteral("--scope: expected step, model or kernel, got '%1'").arg(scope).toStdString());
    const SchemeChoice choice = parseSchemes(parser.value(QStringLiteral("scheme")));

    // The axis: a numeric field by its option name.
    if (!parser.isSet(QStringLiteral("axis")))
        throw UsageError("--axis: expected the option name of a numeric field, e.g. --axis seq-len");
    const QString axisName = parser.value(QStringLiteral("axis")).trimmed();
    const core::FieldInfo *axis = nullptr;
    QStringList names;
    for (const core::FieldInfo &f : core::allFields()) {
        names << optionName(f);
        if (axisName == optionName(f) || axisName == QStringLiteral("--") + optionName(f))
            axis = &f;
    }
    if (!axis)
        throw UsageError(QStringLiteral("--axis: unknown field '%1'; expected one of: %2")
                             .arg(axisName, names.join(QStringLiteral(", "))).toStdString());
    const QString axisOption = optionName(*axis);
    if (parser.isSet(axisOption))
        throw UsageError(QStringLiteral("--%1: is the sweep axis; give its range with --from and --to").arg(axisOption).toStdString());
    // Each end is checked against the field's range in the field's units, as its own option would be.
    const core::InputLimit *limit = core::inputLimit(axis->field);
    auto parseEnd = [&](const QString &name) {
        if (!parser.isSet(name))
            throw UsageError(QStringLiteral("--%1: expected the %2 value of --axis %3")
                                 .arg(name, name == QLatin1String("from") ? QStringLiteral("first") : QStringLiteral("last"), axisOption)
                                 .toStdString());
        const QString text = parser.value(name).trimmed();
        bool ok = false;
        const double v = text.toDouble(&ok);
        if (!ok || !std::isfinite(v))
            throw UsageError(QStringLiteral("--%1: expected a number, got '%2'").arg(name, text).toStdString());
        if (limit && !core::withinLimit(*limit, axis->integer ? std::round(v) * axis->displayScale : v * axis->displayScale))
            throw UsageError(QStringLiteral("--%1: --%2 %3").arg(name, axisOption,
                                 QString::fromStdString(core::limitMessage(*limit, v * axis->displayScale, axis->displayScale,
                                                                           axis->unit, text.toStdString())))
                                 .toStdString());
        return v;
    };
    const double from = parseEnd(QStringLiteral("from"));
    const double to = parseEnd(QStringLiteral("to"));
    const int points = parseInt(parser, QStringLiteral("points"), 1, 10000000);
    const bool logSpacing = parser.isSet(QStringLiteral("log"));
    std::vector<double> values;
    try {
        values = core::fieldSweepValues(*axis, from, to, points, logSpacing);
    } catch (const std::invalid_argument &e) {
        throw UsageError(QStringLiteral("--from/--to/--points%1: %2")
                             .arg(logSpacing ? QStringLiteral("/--log") : QString(), QString::fromUtf8(e.what())).toStdString());
    }

    const ui::PresetRegistry registry;
    for (const QString &e : registry.errors())
        err << "warning: " << e << "\n";
    core::Parameters params;
    params.model = registry.findModel(parser.value(QStringLiteral("model"))).config;
    params.hardware = registry.findHardware(parser.value(QStringLiteral("hardware"))).config;
    params.workload.phase = phase == QLatin1String("prefill") ? core::Phase::Prefill : core::Phase::Decode;
    params.applyDerates = parser.isSet(QStringLiteral("derate"));
    params.scope = *scopeValue;
    for (const core::FieldInfo &f : core::allFields())
        if (f.field != axis->field && (isWorkloadOption(f.field) || parser.isSet(optionName(f)))) {
            applyFieldOverride(parser, f, params);
            // Naming an efficiency, the latency floor or the tile means using the realistic model.
            if (f.group == core::FieldGroup::Kernel && parser.isSet(optionName(f)))
                params.applyDerates = true;
        }
    if (axis->group == core::FieldGroup::Kernel)
        params.applyDerates = true;

    const bool all = parser.value(QStringLiteral("scheme")).contains(QLatin1String("all"));
    if (all)
        for (Scheme s : choice.schemes)
            if (!core::isApplicable(params, s))
                err << "note: " << QString::fromStdString(core::validateScheme(params, s).front().message) << "\n";
    const std::vector<core::FieldSweepPoint> rows = core::fieldSweep(params, axis->field, values, choice.schemes, choice.addAuto, all);
    // A point that cannot be evaluated has no rows; say why on stderr, in the user's words.
    int skipped = 0;
    for (const core::FieldSweepPoint &pt : rows)
        if (!pt.issues.empty() && skipped++ < 5)
            err << "note: --" << axisOption << " " << QString::fromStdString(core::shortNumber(pt.displayValue))
                << " skipped: " << QString::fromStdString(core::formatIssue(pt.issues.front(), core::IssueStyle::CommandLine)) << "\n";
    if (skipped > 5)
        err << "note: " << skipped - 5 << " more points skipped\n";
    if (skipped == int(rows.size()))
        throw UsageError(QStringLiteral("--axis %1: no point from %2 to %3 can be evaluated").arg(axisOption).arg(from).arg(to).toStdString());

    if (format == QLatin1String("json"))
        out << QString::fromStdString(core::fieldSweepToJson(params, axis->field, rows).dump(2)) << "\n";
    else
        out << QString::fromStdString(core::fieldSweepToCsv(axis->field, rows));
    return 0;
}

int runValidate(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Compare the model's time of the attention kernel of one layer (kernel scope, derates on and off) with "
        "published kernel timings, and print MAPE, median ratio, worst point and the points off by more than 2x. "
        "Default: every shipped file in presets/measured/. Format of the files: docs/measured.md; "
        "method: docs/validation.md."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("validate"), QStringLiteral("The subcommand."));
    parser.addPositionalArgument(QStringLiteral("CSV"), QStringLiteral("Measured-points files (default: the shipped set)."),
                                 QStringLiteral("[CSV...]"));
    parser.addOption({QStringLiteral("format"), QStringLiteral("table, json or csv (default table)."), QStringLiteral("FORMAT"),
                      QStringLiteral("table")});
    parser.addOption({QStringLiteral("hardware"), QStringLiteral("Only the points on this hardware preset id."),
                      QStringLiteral("ID")});
    parser.addOption({QStringLiteral("fit"),
                      QStringLiteral("Fit each hardware's attention-kernel efficiencies (compute, bandwidth) and latency "
                                     "floor to its points by least squares in log time with a prior at the preset's values; print MAPE "
                                     "before and after, in-sample and leave-one-source-out.")});
    parser.addOption({QStringLiteral("save"),
                      QStringLiteral("With --fit: write the calibrated hardware preset (one hardware: choose it with "
                                     "--hardware when the points cover several) as JSON, loadable with --hardware FILE."),
                      QStringLiteral("FILE.json")});
    if (parseSubcommand(parser, args, out, std::numeric_limits<int>::max()))
        return 0;
    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("table") && format != QLatin1String("json") && format != QLatin1String("csv"))
        throw UsageError(QStringLiteral("--format: expected table, json or csv, got '%1'").arg(format).toStdString());
    const bool fit = parser.isSet(QStringLiteral("fit"));
    const QString savePath = parser.value(QStringLiteral("save"));
    if (parser.isSet(QStringLiteral("save")) && !fit)
        throw UsageError("--save: needs --fit (it writes the calibrated preset)");
    if (parser.isSet(QStringLiteral("save")) && !savePath.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        throw UsageError(QStringLiteral("--save: expected a file ending in .json, got '%1'").arg(savePath).toStdString());

    const ui::PresetRegistry registry;
    for (const QString &e : registry.errors())
        err << "warning: " << e << "\n";
    QStringList files = parser.positionalArguments().mid(1);
    const bool shipped = files.isEmpty();
    if (shipped)
        files = ui::shippedMeasuredFiles();
    std::vector<core::MeasuredPoint> points = ui::loadMeasuredPoints(files, registry);
    if (parser.isSet(QStringLiteral("hardware"))) {
        const std::string id = parser.value(QStringLiteral("hardware")).toStdString();
        registry.findHardware(QString::fromStdString(id));  // an unknown id is an error, not an empty set
        std::erase_if(points, [&](const core::MeasuredPoint &p) { return p.hardwareId != id; });
    }
    if (points.empty())
        throw FileError(shipped ? std::string("no measured points are shipped (presets/measured/*.csv)")
                                : "no measured points in " + files.join(QStringLiteral(", ")).toStdString()
                                      + (parser.isSet(QStringLiteral("hardware")) ? " on this hardware" : ""));
    const std::vector<core::ValidationRow> rows = ui::validationRows(points, registry);
    const core::ValidationSummary summary = core::summarizeValidation(rows);
    std::vector<core::HardwareFit> fits;
    if (fit)
        fits = core::calibrateRows(rows, core::kernelTimeS);
    const std::vector<core::HardwareFit> *fitsOut = fit ? &fits : nullptr;

    if (!savePath.isEmpty()) {
        if (fits.size() != 1) {
            QStringList ids;
            for (const core::HardwareFit &f : fits)
                ids << QString::fromStdString(f.hardwareId);
            throw UsageError(QStringLiteral("--save: the points cover %1 hardware presets (%2); choose one with --hardware")
                                 .arg(fits.size()).arg(ids.join(QStringLiteral(", "))).toStdString());
        }
        const core::HardwarePreset base = registry.findHardware(QString::fromStdString(fits.front().hardwareId));
        const nlohmann::json preset = core::calibratedHardwarePresetJson(base, fits.front(), rows);
        // Parse what is written, so a file that --hardware could not load is never saved.
        core::parseHardwarePreset(preset.dump(), savePath.toStdString());
        if (const QString error = ui::writeFileAtomically(savePath, QByteArray::fromStdString(preset.dump(2)) + '\n');
            !error.isEmpty())
            throw FileError(error.toStdString());
    }

    if (format == QLatin1String("json"))
        out << QString::fromStdString(core::validationToJson(rows, summary, fitsOut).dump(2)) << "\n";
    else if (format == QLatin1String("csv"))
        out << QString::fromStdString(core::validationToCsv(rows, summary, fitsOut));
    else
        out << QString::fromStdString(core::validationToTable(rows, summary, fitsOut));
    if (!savePath.isEmpty())
        err << "wrote " << savePath << " (calibrated preset '" << QString::fromStdString(fits.front().hardwareId)
            << "-calibrated')\n";
    return 0;
}

// "single-column", "double-column", "slide", "7x3in" or "1600x900px".
ui::ExportOptions parseExportOptions(const QCommandLineParser &parser)
{
    ui::ExportOptions o;
    const QString size = parser.value(QStringLiteral("size"));
    if (QString why; !o.setSizeString(size, &why))
        throw UsageError(QStringLiteral("--size: %1").arg(why).toStdString());
    o.dpi = parsePositive(parser, QStringLiteral("dpi"));
    // The pixel limit is checked per file: a vector file has none.
    if (const QString problem = ui::PlotExporter::validate(o); !problem.isEmpty())
        throw UsageError(QStringLiteral("--size/--dpi: %1").arg(problem).toStdString());
    const QString theme = parser.value(QStringLiteral("theme"));
    const std::optional<ui::ThemeId> id = ui::themeFromId(theme);
    if (!id)
        throw UsageError(QStringLiteral("--theme: expected one of light, dark, paper, slides, got '%1'").arg(theme).toStdString());
    o.theme = *id;
    return o;
}

void addExportOptions(QCommandLineParser &parser)
{
    parser.addOption({QStringLiteral("size"), QStringLiteral("single-column (3.5 in), double-column (7.16 in), slide (16:9), WxHin or WxHpx, greater than 0 (default single-column)."), QStringLiteral("SIZE"), QStringLiteral("single-column")});
    parser.addOption({QStringLiteral("dpi"), QStringLiteral("Resolution for PNG and pixel sizes, 10 to 2400 (default 300). A PNG may have at most 100 megapixels; PDF and SVG have no limit."), QStringLiteral("N"), QStringLiteral("300")});
    parser.addOption({QStringLiteral("theme"), QStringLiteral("light, dark, paper or slides (default paper)."), QStringLiteral("THEME"), QStringLiteral("paper")});
}

// Opens a scenario file into a Scenario; an empty path keeps the default scenario.
void loadScenario(ui::Scenario &scenario, const QString &path)
{
    if (path.isEmpty())
        return;
    const QString error = scenario.open(path);
    if (!error.isEmpty())
        throw FileError(error.toStdString());
}

int runExport(const QStringList &args, QTextStream &out, QTextStream &)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Render one view of a scenario (.mlastudio.json) without a display, exactly as the GUI exports it."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("export"), QStringLiteral("The subcommand."));
    parser.addPositionalArgument(QStringLiteral("SCENARIO"), QStringLiteral("Scenario file (.mlastudio.json)."));
    parser.addOption({QStringLiteral("view"), ui::plotViewIds().join(QStringLiteral(", ")) + QLatin1Char('.'), QStringLiteral("VIEW")});
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output file: .pdf, .svg or .png."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("data"), QStringLiteral("Also write the series behind the figure: .csv or .json."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("normalize"), kNormalizeHelp + QStringLiteral(" Platforms view; default: the scenario's."), QStringLiteral("N")});
    addExportOptions(parser);
    if (parseSubcommand(parser, args, out, 2))
        return 0;
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        throw UsageError("export: expected exactly one scenario file");
    const QString viewName = parser.value(QStringLiteral("view"));
    const std::optional<ui::ViewId> viewId = ui::viewIdFromName(viewName);
    if (!viewId)
        throw UsageError(QStringLiteral("--view: expected one of %1, got '%2'")
                             .arg(ui::plotViewIds().join(QStringLiteral(", ")), viewName).toStdString());
    const QString outPath = parser.value(QStringLiteral("out"));
    const std::optional<ui::ExportFormat> format = ui::exportFormatFromSuffix(QFileInfo(outPath).suffix());
    if (outPath.isEmpty() || !format || !ui::isFigureFormat(*format))
        throw UsageError("--out: expected a file ending in .pdf, .svg or .png");
    const ui::ExportOptions options = parseExportOptions(parser);
    if (const QString problem = ui::PlotExporter::validate(options, format); !problem.isEmpty())
        throw UsageError(QStringLiteral("--size/--dpi: %1").arg(problem).toStdString());
    const std::optional<core::Normalization> normalization = parseNormalization(parser);

    ui::Scenario scenario;
    loadScenario(scenario, positional.at(1));
    if (normalization) {
        ui::ViewSettings v = scenario.viewSettings();
        v.platformNormalization = *normalization;
        scenario.setViewSettings(v);
    }
    std::unique_ptr<ui::PlotView> view(ui::createPlotView(*viewId, &scenario));
    if (QString error = ui::PlotExporter::exportPlot(view.get(), outPath, options); !error.isEmpty())
        throw FileError(error.toStdString());
    out << "wrote " << outPath << "\n";
    if (parser.isSet(QStringLiteral("data"))) {
        const QString dataPath = parser.value(QStringLiteral("data"));
        if (QString error = ui::PlotExporter::exportData(view.get(), dataPath); !error.isEmpty())
            throw FileError(error.toStdString());
        out << "wrote " << dataPath << "\n";
    }
    return 0;
}

// Renders every plot view of a scenario in each format (a data format writes the data behind the figure).
void renderScenario(ui::Scenario &scenario, const QString &dir, const QString &prefix, const ui::ExportOptions &options,
                    const std::vector<ui::ExportFormat> &formats, QTextStream &out)
{
    QStringList suffixes;
    for (const ui::ExportFormat format : formats)
        suffixes << ui::exportFormatSuffix(format);
    for (const ui::ViewId id : ui::kAllPlotViews) {
        const QString viewId = ui::viewIdName(id);
        std::unique_ptr<ui::PlotView> view(ui::createPlotView(id, &scenario));
        for (const ui::ExportFormat format : formats) {
            const QString path = QStringLiteral("%1/%2%3.%4").arg(dir, prefix, viewId, ui::exportFormatSuffix(format));
            const QString error = ui::isFigureFormat(format) ? ui::PlotExporter::exportPlot(view.get(), path, options)
                                                             : ui::PlotExporter::exportData(view.get(), path);
            if (!error.isEmpty())
                throw FileError(error.toStdString());
        }
        out << "  " << prefix << viewId << ".{" << suffixes.join(QLatin1Char(',')) << "}\n";
    }
}

int runFigures(const QStringList &args, QTextStream &out, QTextStream &, bool gallery)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(gallery
        ? QStringLiteral("Render every scenario of the shipped gallery (presets/scenarios/) with every view.")
        : QStringLiteral("Render the default figure set (every view of a scenario, default: DeepSeek-V3 on H100 SXM)."));
    parser.addHelpOption();
    parser.addPositionalArgument(gallery ? QStringLiteral("gallery") : QStringLiteral("figures"), QStringLiteral("The subcommand."));
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output directory (default %1).").arg(gallery ? QStringLiteral("docs/gallery") : QStringLiteral("figures")),
                      QStringLiteral("DIR"), gallery ? QStringLiteral("docs/gallery") : QStringLiteral("figures")});
    if (!gallery)
        parser.addOption({QStringLiteral("scenario"), QStringLiteral("Scenario file to render instead of the default."), QStringLiteral("FILE")});
    addExportOptions(parser);
    if (parseSubcommand(parser, args, out))
        return 0;
    const ui::ExportOptions options = parseExportOptions(parser);
    // Both sets include PNG: refuse an over-large one before any file is written.
    if (const QString problem = ui::PlotExporter::validate(options, ui::ExportFormat::Png); !problem.isEmpty())
        throw UsageError(QStringLiteral("--size/--dpi: %1").arg(problem).toStdString());
    const QString dir = QDir(parser.value(QStringLiteral("out"))).absolutePath();
    if (!QDir().mkpath(dir))
        throw FileError(dir.toStdString() + ": cannot create the output directory");

    if (!gallery) {
        ui::Scenario scenario;
        loadScenario(scenario, parser.value(QStringLiteral("scenario")));
        out << "Rendering figures into " << dir << ":\n";
        renderScenario(scenario, dir, QString(), options,
                       {ui::ExportFormat::Pdf, ui::ExportFormat::Svg, ui::ExportFormat::Png, ui::ExportFormat::Csv}, out);
        return 0;
    }
    const QDir scenarios(QStringLiteral(":/presets/scenarios"));
    out << "Rendering the gallery into " << dir << ":\n";
    for (const QString &name : scenarios.entryList({QStringLiteral("*.mlastudio.json")}, QDir::Files, QDir::Name)) {
        ui::Scenario scenario;
        loadScenario(scenario, scenarios.filePath(name));
        // The gallery keeps vector SVG for authors and PNG for the README; `export` gives PDF and data.
        renderScenario(scenario, dir, name.chopped(int(qstrlen(ui::kScenarioSuffix))) + QLatin1Char('-'), options,
                       {ui::ExportFormat::Svg, ui::ExportFormat::Png}, out);
    }
    return 0;
}

int runDeck(const QStringList &args, QTextStream &out)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Render a deck (docs/decks.md) as a PDF handout: one page per step, its caption above its view."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("deck"), QStringLiteral("The subcommand."));
    parser.addPositionalArgument(QStringLiteral("DECK"),
                                 QStringLiteral("Deck file (.deck.json); default: the built-in \"MLA in six steps\"."), QStringLiteral("[DECK]"));
    parser.addOption({QStringLiteral("out"), QStringLiteral("Output file (.pdf)."), QStringLiteral("FILE")});
    parser.addOption({QStringLiteral("size"), QStringLiteral("Page size: slide (16:9, default), single-column, double-column, WxHin or WxHpx."), QStringLiteral("SIZE"), QStringLiteral("slide")});
    parser.addOption({QStringLiteral("dpi"), QStringLiteral("Resolution for pixel sizes, 10 to 2400 (default 300)."), QStringLiteral("N"), QStringLiteral("300")});
    parser.addOption({QStringLiteral("theme"), QStringLiteral("light, dark, paper or slides (default slides)."), QStringLiteral("THEME"), QStringLiteral("slides")});
    if (parseSubcommand(parser, args, out, 2))
        return 0;
    const QStringList positional = parser.positionalArguments();
    const QString outPath = parser.value(QStringLiteral("out"));
    if (outPath.isEmpty() || ui::exportFormatFromSuffix(QFileInfo(outPath).suffix()) != ui::ExportFormat::Pdf)
        throw UsageError("--out: expected a file ending in .pdf");
    const ui::ExportOptions options = parseExportOptions(parser);
    const QString deckPath = positional.size() > 1 ? positional.at(1) : QString::fromLatin1(ui::kBuiltinDeckPath);
    ui::Deck deck;
    if (const QString error = ui::loadDeck(deckPath, &deck); !error.isEmpty())
        throw FileError(error.toStdString());
    if (const QString error = ui::exportDeckPdf(deck, outPath, options); !error.isEmpty())
        throw FileError(error.toStdString());
    out << "wrote " << outPath << " (" << deck.steps.size() << (deck.steps.size() == 1 ? " page)\n" : " pages)\n");
    return 0;
}

int runBenchUiCommand(const QStringList &args, QTextStream &out)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Drag the sliders programmatically (press, moves, release) with every view visible (offscreen) and print the time from a value change to the finished replots and paints, and from each release to the antialiased replot."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("bench-ui"), QStringLiteral("The subcommand."));
    parser.addOption({QStringLiteral("moves"), QStringLiteral("Number of slider moves (default 300)."), QStringLiteral("N"), QStringLiteral("300")});
    parser.addOption({QStringLiteral("soak"),
                      QStringLiteral("Instead, a leak soak: N random edits (every field, undo/redo bursts, preset "
                                     "switches) printing resident memory every 1000."),
                      QStringLiteral("N")});
    if (parseSubcommand(parser, args, out))
        return 0;
    if (parser.isSet(QStringLiteral("soak")))
        return ui::runSoak(out, parseInt(parser, QStringLiteral("soak"), 1, 10000000));
    return ui::runBenchUi(out, parseInt(parser, QStringLiteral("moves"), 1, 1000000));
}

} // namespace

bool isSubcommand(const QString &word)
{
    for (const Subcommand &s : kSubcommands)
        if (word == QLatin1String(s.name))
            return true;
    return false;
}

bool subcommandNeedsWidgets(const QString &word)
{
    for (const char *name : kWidgetSubcommands)
        if (word == QLatin1String(name))
            return true;
    return false;
}

QString topLevelHelp()
{
    QString text = QStringLiteral("Usage: mla-studio [SUBCOMMAND] [OPTIONS]\n\n"
                                  "With no subcommand, opens the MLA Studio window.\n\nSubcommands:\n");
    for (const Subcommand &s : kSubcommands)
        text += QStringLiteral("  %1%2\n").arg(QString::fromLatin1(s.name).leftJustified(12), QString::fromLatin1(s.summary));
    text += QStringLiteral("\nRun 'mla-studio SUBCOMMAND --help' for the options of each.\n"
                           "Options:\n  -h, --help     Show this help.\n  -v, --version  Show the version.\n"
                           "  --present [SCENARIO|DECK]\n"
                           "                 Open the window in presentation mode (full screen, slides theme),\n"
                           "                 on a scenario or on the first step of a deck (told apart by\n"
                           "                 their \"schema\", not their names).\n");
    return text;
}

int runSubcommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    try {
        const QString command = args.value(1);
        if (command == QLatin1String("presets"))
            return runPresets(args, out, err);
        if (command == QLatin1String("evaluate"))
            return runEvaluate(args, out, err);
        if (command == QLatin1String("validate"))
            return runValidate(args, out, err);
        if (command == QLatin1String("sweep"))
            return runSweep(args, out, err);
        if (command == QLatin1String("export"))
            return runExport(args, out, err);
        if (command == QLatin1String("figures"))
            return runFigures(args, out, err, false);
        if (command == QLatin1String("gallery"))
            return runFigures(args, out, err, true);
        if (command == QLatin1String("deck"))
            return runDeck(args, out);
        if (command == QLatin1String("bench-ui"))
            return runBenchUiCommand(args, out);
        throw UsageError("unknown subcommand '" + command.toStdString() + "'");
    } catch (const UsageError &e) {
        err << "mla-studio: " << e.what() << "\n(see 'mla-studio --help')\n";
        return 2;
    } catch (const core::ModelError &e) {
        err << "mla-studio: invalid input:\n";
        // In the user's words: the option as typed, the value in the option's units.
        for (const core::ValidationIssue &i : e.issues())
            err << "  " << QString::fromStdString(core::formatIssue(i, core::IssueStyle::CommandLine)) << "\n";
        return 1;
    } catch (const core::PresetError &e) {
        err << "mla-studio: preset error: " << e.what() << "\n";
        return 1;
    } catch (const core::MeasuredError &e) {
        err << "mla-studio: invalid measured points: " << e.what() << "\n";
        return 1;
    } catch (const FileError &e) {
        err << "mla-studio: " << e.what() << "\n";
        return 1;
    }
}

} // namespace mlastudio::app
