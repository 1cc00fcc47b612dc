// SPDX-License-Identifier: MIT
#include "commandline.h"

#include "presetregistry.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/fields.h"
#include "mlastudio/core/report.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>

namespace mlastudio::app {

namespace {

using core::Scheme;

class UsageError : public std::runtime_error {
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
};

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

int parseBits(const QCommandLineParser &p, const QString &name)
{
    const int bits = parseInt(p, name, 1, 64);
    if (bits != 4 && bits != 8 && bits != 16)
        throw UsageError(QStringLiteral("--%1: expected 4, 8 or 16, got %2").arg(name).arg(bits).toStdString());
    return bits;
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

int runPresets(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the shipped and user presets."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("presets"), QStringLiteral("The subcommand."));
    const QCommandLineOption formatOpt(QStringLiteral("format"), QStringLiteral("table or json."), QStringLiteral("FORMAT"), QStringLiteral("table"));
    parser.addOption(formatOpt);
    if (!parser.parse(args))
        throw UsageError(parser.errorText().toStdString());
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
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
    return help + QStringLiteral(" (symbol %1 in docs/model.md).").arg(QString::fromUtf8(f.symbol.data(), qsizetype(f.symbol.size())));
}

void applyFieldOverride(const QCommandLineParser &p, const core::FieldInfo &f, core::Parameters &params)
{
    const QString name = QString::fromLatin1(f.cliName.data(), qsizetype(f.cliName.size()));
    const double v = f.integer ? double(parseInt(p, name, int(f.min), 1 << 20)) : parsePositive(p, name, f.min <= 0.0);
    core::setFieldValue(params, f.field, v * f.displayScale);
}

int runEvaluate(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Evaluate one step of all attention layers with the roofline and energy model of docs/model.md."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("evaluate"), QStringLiteral("The subcommand."));
    auto add = [&](const QString &name, const QString &help, const QString &valueName = {}, const QString &def = {}) {
        QCommandLineOption o(name, help, valueName, def);
        parser.addOption(o);
    };
    add(QStringLiteral("model"), QStringLiteral("Model preset id or JSON file (default deepseek-v3)."), QStringLiteral("NAME|FILE"), QStringLiteral("deepseek-v3"));
    add(QStringLiteral("hardware"), QStringLiteral("Hardware preset id or JSON file (default h100-sxm)."), QStringLiteral("NAME|FILE"), QStringLiteral("h100-sxm"));
    add(QStringLiteral("scheme"), QStringLiteral("all, auto, or comma-separated scheme ids (default all)."), QStringLiteral("S"), QStringLiteral("all"));
    add(QStringLiteral("phase"), QStringLiteral("decode or prefill (default decode)."), QStringLiteral("PHASE"), QStringLiteral("decode"));
    add(QStringLiteral("batch"), QStringLiteral("Batch size B (default 1)."), QStringLiteral("B"), QStringLiteral("1"));
    add(QStringLiteral("seq-len"), QStringLiteral("KV length L in tokens (default 4096)."), QStringLiteral("L"), QStringLiteral("4096"));
    add(QStringLiteral("query-len"), QStringLiteral("New query tokens S per request per decode step (default 1; prefill uses L)."), QStringLiteral("S"), QStringLiteral("1"));
    add(QStringLiteral("weight-bits"), QStringLiteral("Weight precision: 4, 8 or 16 (default 16)."), QStringLiteral("N"), QStringLiteral("16"));
    add(QStringLiteral("kv-bits"), QStringLiteral("KV-cache precision: 4, 8 or 16 (default 16)."), QStringLiteral("N"), QStringLiteral("16"));
    add(QStringLiteral("act-bits"), QStringLiteral("Activation precision: 4, 8 or 16 (default 16)."), QStringLiteral("N"), QStringLiteral("16"));
    add(QStringLiteral("derate"), QStringLiteral("Apply the hardware preset's suggested achievable fractions."));
    add(QStringLiteral("format"), QStringLiteral("table, json or csv (default table)."), QStringLiteral("FORMAT"), QStringLiteral("table"));
    for (const core::FieldInfo &f : core::allFields())
        if (!isWorkloadOption(f.field))
            add(QString::fromLatin1(f.cliName.data(), qsizetype(f.cliName.size())), fieldOptionHelp(f),
                f.unit.empty() ? QStringLiteral("N") : QString::fromUtf8(f.unit.data(), qsizetype(f.unit.size())));

    if (!parser.parse(args))
        throw UsageError(parser.errorText().toStdString());
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    if (parser.positionalArguments().size() > 1)
        throw UsageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().at(1)).toStdString());

    const QString format = parser.value(QStringLiteral("format"));
    if (format != QLatin1String("table") && format != QLatin1String("json") && format != QLatin1String("csv"))
        throw UsageError(QStringLiteral("--format: expected table, json or csv, got '%1'").arg(format).toStdString());
    const QString phase = parser.value(QStringLiteral("phase"));
    if (phase != QLatin1String("decode") && phase != QLatin1String("prefill"))
        throw UsageError(QStringLiteral("--phase: expected decode or prefill, got '%1'").arg(phase).toStdString());
    const SchemeChoice choice = parseSchemes(parser.value(QStringLiteral("scheme")));

    const ui::PresetRegistry registry;
    core::Parameters params;
    params.model = registry.findModel(parser.value(QStringLiteral("model"))).config;
    params.hardware = registry.findHardware(parser.value(QStringLiteral("hardware"))).config;
    params.workload.phase = phase == QLatin1String("prefill") ? core::Phase::Prefill : core::Phase::Decode;
    params.workload.batch = parseInt(parser, QStringLiteral("batch"), 1, 1 << 20);
    params.workload.kvLength = parseInt(parser, QStringLiteral("seq-len"), 1, 1 << 30);
    params.workload.queryLength = parseInt(parser, QStringLiteral("query-len"), 1, 1 << 30);
    params.precision.weightBits = parseBits(parser, QStringLiteral("weight-bits"));
    params.precision.kvBits = parseBits(parser, QStringLiteral("kv-bits"));
    params.precision.activationBits = parseBits(parser, QStringLiteral("act-bits"));
    params.applyDerates = parser.isSet(QStringLiteral("derate"));
    for (const core::FieldInfo &f : core::allFields())
        if (!isWorkloadOption(f.field) && parser.isSet(QString::fromLatin1(f.cliName.data(), qsizetype(f.cliName.size()))))
            applyFieldOverride(parser, f, params);
    // Naming a derate means using it.
    if (parser.isSet(QStringLiteral("compute-derate")) || parser.isSet(QStringLiteral("bandwidth-derate")))
        params.applyDerates = true;

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

    if (format == QLatin1String("json"))
        out << QString::fromStdString(core::evaluationToJson(params, results).dump(2)) << "\n";
    else if (format == QLatin1String("csv"))
        out << QString::fromStdString(core::evaluationToCsv(results));
    else
        out << QString::fromStdString(core::evaluationToTable(params, results));
    return 0;
}

} // namespace

bool isSubcommand(const QString &word)
{
    for (const Subcommand &s : kSubcommands)
        if (word == QLatin1String(s.name))
            return true;
    return false;
}

bool subcommandNeedsWidgets(const QString &)
{
    return false;
}

QString topLevelHelp()
{
    QString text = QStringLiteral("Usage: mla-studio [SUBCOMMAND] [OPTIONS]\n\n"
                                  "With no subcommand, opens the MLA Studio window.\n\nSubcommands:\n");
    for (const Subcommand &s : kSubcommands)
        text += QStringLiteral("  %1%2\n").arg(QString::fromLatin1(s.name).leftJustified(12), QString::fromLatin1(s.summary));
    text += QStringLiteral("\nRun 'mla-studio SUBCOMMAND --help' for the options of each.\n"
                           "Options:\n  -h, --help     Show this help.\n  -v, --version  Show the version.\n");
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
        throw UsageError("unknown subcommand '" + command.toStdString() + "'");
    } catch (const UsageError &e) {
        err << "mla-studio: " << e.what() << "\n(see 'mla-studio --help')\n";
        return 2;
    } catch (const core::ModelError &e) {
        err << "mla-studio: invalid input:\n";
        for (const core::ValidationIssue &i : e.issues())
            err << "  " << QString::fromStdString(i.field) << ": " << QString::fromStdString(i.message) << "\n";
        return 1;
    } catch (const core::PresetError &e) {
        err << "mla-studio: preset error: " << e.what() << "\n";
        return 1;
    }
}

} // namespace mlastudio::app
