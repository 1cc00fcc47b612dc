// SPDX-License-Identifier: MIT
#include "scenario.h"

#include "atomicwrite.h"
#include "presetregistry.h"
#include "scenariocommands.h"
#include "schemestyle.h"

#include "mlastudio/core/inputlimits.h"
#include "mlastudio/core/report.h"

#include <QFile>
#include <QFileInfo>
#include <QUndoStack>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <stdexcept>

namespace mlastudio::ui {

using nlohmann::json;

namespace {

std::string allSchemeIds()
{
    std::string ids;
    for (core::Scheme s : core::kAllSchemes)
        ids += (ids.empty() ? "" : ", ") + std::string(core::schemeId(s));
    return ids;
}

/** Preset parameters: the presets' model and hardware with the default workload and precision. */
core::Parameters presetBase(const QString &modelId, const QString &hardwareId, const core::Parameters &fallback)
{
    core::Parameters p;
    p.model = fallback.model;
    p.hardware = fallback.hardware;
    const PresetRegistry &reg = Scenario::presetRegistry();
    for (const core::ModelPreset &m : reg.models())
        if (QString::fromStdString(m.config.id) == modelId)
            p.model = m.config;
    for (const core::HardwarePreset &h : reg.hardware())
        if (QString::fromStdString(h.config.id) == hardwareId)
            p.hardware = h.config;
    return p;
}

/** A problem in a scenario file; the message already names the field. */
struct LoadError {
    std::string message;
};

[[noreturn]] void fail(const std::string &field, const std::string &expected)
{
    throw LoadError{field + ": " + expected};
}

std::string typeName(const json &v)
{
    return v.type_name();
}

/** Rejects keys outside \p known, so a misspelt field is reported instead of silently ignored. */
void requireKnownKeys(const json &obj, const std::string &path, std::initializer_list<const char *> known)
{
    for (const auto &item : obj.items()) {
        if (std::any_of(known.begin(), known.end(), [&](const char *k) { return item.key() == k; }))
            continue;
        std::string expected;
        for (const char *k : known)
            expected += (expected.empty() ? "" : ", ") + std::string(k);
        fail(path + item.key(), "unknown field; expected one of " + expected);
    }
}

const json &require(const json &obj, const char *key, const std::string &path)
{
    const auto it = obj.find(key);
    if (it == obj.end())
        fail(path + key, "missing; it is required");
    return *it;
}

std::string readString(const json &v, const std::string &field)
{
    if (!v.is_string())
        fail(field, "expected a string, got " + typeName(v));
    return v.get<std::string>();
}

bool readBool(const json &v, const std::string &field)
{
    if (!v.is_boolean())
        fail(field, "expected true or false, got " + typeName(v));
    return v.get<bool>();
}

double readPositive(const json &v, const std::string &field)
{
    if (!v.is_number())
        fail(field, "expected a number, got " + typeName(v));
    const double d = v.get<double>();
    if (!std::isfinite(d) || d <= 0.0)
        fail(field, "expected a finite number > 0, got " + v.dump());
    return d;
}

// The file's parameters over \p base, each value range-checked as it is read; no rules across fields yet.
core::Parameters parseParameters(const json &v, const std::string &field, const core::Parameters &base)
{
    if (!v.is_object())
        fail(field, "expected an object (as written by 'mla-studio evaluate --format json'), got " + typeName(v));
    try {
        return core::parametersFromJson(v, base);
    } catch (const std::exception &e) {
        // The core names the field inside the parameters ("model.num_heads: …"): prefix the path.
        throw LoadError{field + "." + e.what()};
    }
}

// The rules across fields, on the parameters as they will be used, named by JSON path.
void validateParameters(const core::Parameters &p, const std::string &field)
{
    const std::vector<core::ValidationIssue> issues = core::validate(p);
    if (issues.empty())
        return;
    std::string text;
    for (const core::ValidationIssue &i : issues)
        text += (text.empty() ? "" : "; ") + field + "." + core::formatIssue(i, core::IssueStyle::Json);
    throw LoadError{text};
}

core::Parameters readParameters(const json &v, const std::string &field, const core::Parameters &base)
{
    core::Parameters p = parseParameters(v, field, base);
    validateParameters(p, field);
    return p;
}

} // namespace

Scenario::Scenario(QObject *parent)
    : QObject(parent)
    , m_undo(new QUndoStack(this))
{
    // Every step holds two full copies of the state; without a cap a long session (or the soak
    // benchmark) grows without bound. setUndoLimit() only works on an empty stack, hence here.
    m_undo->setUndoLimit(kUndoLimit);
    connect(m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { emit modifiedChanged(!clean); });
    const State s = defaultState();
    m_modelPresetId = s.modelPresetId;
    m_hardwarePresetId = s.hardwarePresetId;
    m_params = s.params;
    m_presetParams = s.presetParams;
    m_visible = s.visible;
    m_view = s.view;
    recompute();
}

Scenario::~Scenario() = default;

const PresetRegistry &Scenario::presetRegistry()
{
    static const PresetRegistry registry;
    return registry;
}

Scenario::State Scenario::defaultState() const
{
    State s;
    s.modelPresetId = QString::fromLatin1(kDefaultModelPreset);
    s.hardwarePresetId = QString::fromLatin1(kDefaultHardwarePreset);
    s.presetParams = presetBase(s.modelPresetId, s.hardwarePresetId, core::Parameters{});
    s.params = s.presetParams;
    s.visible.assign(core::kAllSchemes.size(), false);
    for (core::Scheme sc : {core::Scheme::Mha, core::Scheme::MlaReuse, core::Scheme::MlaRecompute})
        s.visible[std::size_t(sc)] = true;
    s.view.theme = m_view.theme;
    return s;
}

Scenario::State Scenario::captureState() const
{
    return State{m_modelPresetId, m_hardwarePresetId, m_params, m_presetParams,
                 m_visible,       m_view,             m_measured, m_reference};
}

void Scenario::applyState(const State &s)
{
    const bool paramsChanged = s.modelPresetId != m_modelPresetId || s.hardwarePresetId != m_hardwarePresetId
        || s.params != m_params || s.presetParams != m_presetParams;
    ViewSettings view = s.view;
    view.theme = m_view.theme;  // the theme follows the application, not the history
    const bool referenceChanged = s.reference != m_reference;
    const bool presentation = referenceChanged || s.visible != m_visible || !(view == m_view)
        || !(s.measured == m_measured);

    m_modelPresetId = s.modelPresetId;
    m_hardwarePresetId = s.hardwarePresetId;
    m_params = s.params;
    m_presetParams = s.presetParams;
    m_visible = s.visible;
    m_view = view;
    m_measured = s.measured;
    m_reference = s.reference;

    if (paramsChanged)
        recompute();
    if (referenceChanged)
        recomputeReference();
    if (paramsChanged)
        emit parametersChanged();
    if (paramsChanged || referenceChanged)
        emit resultsChanged();
    if (presentation)
        emit presentationChanged();
}

void Scenario::pushState(const QString &text, const State &after, int mergeField)
{
    if (mergeField < 0)
        ++m_mergeId;  // any other edit closes the slider's merge window
    m_undo->push(new ScenarioCommand(this, text, captureState(), after, mergeField, m_mergeId));
}

namespace {

std::vector<core::StepResult> evaluateAll(const core::Parameters &p, std::vector<core::ValidationIssue> &issues)
{
    std::vector<core::StepResult> results;
    issues = core::validate(p);
    if (!issues.empty())
        return results;
    try {
        for (core::Scheme s : core::kAllSchemes) {
            if (!core::isApplicable(p, s))
                continue;
            core::StepResult r = core::evaluate(p, s);
            if (!std::isfinite(r.timeS) || !std::isfinite(r.energyJ) || !std::isfinite(r.tokensPerS)) {
                issues.push_back({std::string(core::schemeId(s)), "the model gives a non-finite result for these inputs"});
                return {};
            }
            results.push_back(std::move(r));
        }
    } catch (const core::ModelError &e) {
        issues = e.issues();
        return {};
    } catch (const std::exception &e) {
        issues = {{"parameters", e.what()}};
        return {};
    }
    return results;
}

} // namespace

void Scenario::recompute()
{
    m_results = evaluateAll(m_params, m_issues);
    // Dragging a slider along a view's sweep axis moves only the current point, not the curves: a
    // sweep whose parameters differ from the new ones in its own axis field only is still exact.
    const auto onlyAxisChanged = [&](const SweepEntry &e) {
        return core::withAxisValue(e.params, e.axis, core::axisValue(m_params, e.axis)) == m_params;
    };
    std::erase_if(m_sweeps, [&](const SweepEntry &e) {
        return !e.ofReference
            && !(onlyAxisChanged(e) && core::isApplicable(e.params, e.scheme) == core::isApplicable(m_params, e.scheme));
    });
    for (SweepEntry &e : m_sweeps)
        if (!e.ofReference)
            e.params = m_params;
}

void Scenario::recomputeReference()
{
    std::erase_if(m_sweeps, [](const SweepEntry &e) { return e.ofReference; });
    m_referenceResults.clear();
    if (m_reference) {
        std::vector<core::ValidationIssue> ignored;
        m_referenceResults = evaluateAll(*m_reference, ignored);
    }
}

const core::SweepSeries &Scenario::sweep(bool ofReference, core::Scheme scheme, core::SweepAxis axis,
                                         const std::vector<double> &values) const
{
    for (const SweepEntry &e : m_sweeps)
        if (e.ofReference == ofReference && e.scheme == scheme && e.axis == axis && e.values == values)
            return e.series;
    const core::Parameters &params = ofReference && m_reference ? *m_reference : m_params;
    m_sweeps.push_back({ofReference, scheme, axis, values, core::sweep(params, scheme, axis, values), params});
    ++m_sweepsComputed;
    return m_sweeps.back().series;
}

QString Scenario::modelPresetId() const
{
    return m_modelPresetId;
}

QString Scenario::hardwarePresetId() const
{
    return m_hardwarePresetId;
}

bool Scenario::isSchemeVisible(core::Scheme scheme) const
{
    const auto i = std::size_t(scheme);
    return i < m_visible.size() && m_visible[i];
}

std::vector<core::Scheme> Scenario::visibleSchemes() const
{
    std::vector<core::Scheme> out;
    for (core::Scheme s : core::kAllSchemes)
        if (isSchemeVisible(s))
            out.push_back(s);
    return out;
}

bool Scenario::fieldDiffersFromPreset(core::Field field) const
{
    const double a = core::fieldValue(m_params, field);
    const double b = core::fieldValue(m_presetParams, field);
    return std::abs(a - b) > 1e-9 * std::max(std::abs(a), std::abs(b));
}

const core::StepResult *Scenario::result(core::Scheme scheme) const
{
    for (const core::StepResult &r : m_results)
        if (r.scheme == scheme)
            return &r;
    return nullptr;
}

const core::StepResult *Scenario::referenceResult(core::Scheme scheme) const
{
    for (const core::StepResult &r : m_referenceResults)
        if (r.scheme == scheme && !r.autoSelected)
            return &r;
    return nullptr;
}

std::optional<double> Scenario::tokenRateChangeVsReference(core::Scheme scheme) const
{
    const core::StepResult *now = nullptr;
    for (const core::StepResult &r : m_results)
        if (r.scheme == scheme && !r.autoSelected)
            now = &r;
    const core::StepResult *before = referenceResult(scheme);
    if (!now || !before || !(before->tokensPerS > 0.0) || !std::isfinite(now->tokensPerS))
        return std::nullopt;
    return now->tokensPerS / before->tokensPerS - 1.0;
}

QString scopeCaption(const core::Parameters &params)
{
    if (params.scope == core::Scope::Model)
        return Scenario::tr("whole model");
    if (params.scope == core::Scope::Kernel)
        return Scenario::tr("one attention kernel");
    return Scenario::tr("attention only");
}

QString signedPercent(double change)
{
    const double pct = 100.0 * change;
    if (std::abs(pct) < 0.05)
        return QStringLiteral("±0 %");
    const QString number = QString::number(std::abs(pct), 'f', std::abs(pct) >= 9.95 ? 0 : 1);
    return (pct > 0 ? QStringLiteral("+") : QStringLiteral("−")) + number + QStringLiteral(" %");
}

bool Scenario::isModified() const
{
    return !m_undo->isClean();
}

void Scenario::markRecovered(const QString &filePath)
{
    m_undo->resetClean();
    ++m_mergeId;
    if (filePath != m_filePath) {
        m_filePath = filePath;
        emit filePathChanged(m_filePath);
    }
}

// ---- Edits ---------------------------------------------------------------------------------

void Scenario::setField(core::Field field, double siValue)
{
    if (!std::isfinite(siValue))
        return;
    State s = captureState();
    core::setFieldValue(s.params, field, siValue);
    if (s.params == m_params)
        return;
    const core::FieldInfo &info = core::fieldInfo(field);
    pushState(tr("Change %1").arg(QString::fromUtf8(info.label.data(), qsizetype(info.label.size()))), s, int(field));
}

void Scenario::endMerge()
{
    ++m_mergeId;
}

void Scenario::resetField(core::Field field)
{
    if (!fieldDiffersFromPreset(field))
        return;
    State s = captureState();
    core::setFieldValue(s.params, field, core::fieldValue(m_presetParams, field));
    if (field == core::Field::PeakCompute) {
        // Restore the 8- and 4-bit peaks exactly rather than by rescaling.
        s.params.hardware.peakFlopsFp8 = m_presetParams.hardware.peakFlopsFp8;
        s.params.hardware.peakFlopsFp4 = m_presetParams.hardware.peakFlopsFp4;
    }
    const core::FieldInfo &info = core::fieldInfo(field);
    pushState(tr("Reset %1").arg(QString::fromUtf8(info.label.data(), qsizetype(info.label.size()))), s);
}

void Scenario::resetAllFields()
{
    State s = captureState();
    const core::Phase phase = s.params.workload.phase;
    const bool derates = s.params.applyDerates;
    const core::Scope scope = s.params.scope;
    s.params = m_presetParams;
    s.params.workload.phase = phase;
    s.params.applyDerates = derates;
    s.params.scope = scope;
    if (s.params == m_params)
        return;
    pushState(tr("Reset all to preset"), s);
}

void Scenario::setModelPreset(const QString &id)
{
    if (id == m_modelPresetId)
        return;
    State s = captureState();
    bool found = false;
    for (const core::ModelPreset &m : presetRegistry().models()) {
        if (QString::fromStdString(m.config.id) == id) {
            s.params.model = m.config;
            s.presetParams.model = m.config;
            found = true;
        }
    }
    if (!found)
        return;
    s.modelPresetId = id;
    pushState(tr("Choose model %1").arg(QString::fromStdString(s.params.model.name)), s);
}

void Scenario::setHardwarePreset(const QString &id)
{
    if (id == m_hardwarePresetId)
        return;
    State s = captureState();
    bool found = false;
    for (const core::HardwarePreset &h : presetRegistry().hardware()) {
        if (QString::fromStdString(h.config.id) == id) {
            s.params.hardware = h.config;
            s.presetParams.hardware = h.config;
            found = true;
        }
    }
    if (!found)
        return;
    s.hardwarePresetId = id;
    pushState(tr("Choose hardware %1").arg(QString::fromStdString(s.params.hardware.name)), s);
}

void Scenario::setPhase(core::Phase phase)
{
    if (phase == m_params.workload.phase)
        return;
    State s = captureState();
    s.params.workload.phase = phase;
    s.presetParams.workload.phase = phase;
    pushState(phase == core::Phase::Decode ? tr("Switch to decode") : tr("Switch to prefill"), s);
}

void Scenario::setApplyDerates(bool on)
{
    if (on == m_params.applyDerates)
        return;
    State s = captureState();
    s.params.applyDerates = on;
    s.presetParams.applyDerates = on;
    pushState(on ? tr("Apply derates") : tr("Use peak numbers"), s);
}

void Scenario::setScope(core::Scope scope)
{
    if (scope == m_params.scope)
        return;
    State s = captureState();
    s.params.scope = scope;
    s.presetParams.scope = scope;
    pushState(scope == core::Scope::Model ? tr("Cost the whole model") : tr("Cost attention only"), s);
}

void Scenario::setSchemeVisible(core::Scheme scheme, bool visible)
{
    if (isSchemeVisible(scheme) == visible)
        return;
    State s = captureState();
    s.visible.resize(core::kAllSchemes.size(), false);
    s.visible[std::size_t(scheme)] = visible;
    pushState((visible ? tr("Show %1") : tr("Hide %1")).arg(schemeName(scheme)), s);
}

void Scenario::setViewSettings(const ViewSettings &settings)
{
    if (settings == m_view)
        return;
    ViewSettings withoutTheme = settings;
    withoutTheme.theme = m_view.theme;
    if (!(withoutTheme == m_view)) {
        State s = captureState();
        s.view = withoutTheme;
        pushState(tr("Change view settings"), s);
    }
    setTheme(settings.theme);
}

void Scenario::setTheme(ThemeId theme)
{
    if (theme == m_view.theme)
        return;
    m_view.theme = theme;
    emit presentationChanged();
}

void Scenario::setMeasuredPoints(const QVector<MeasuredPoint> &points)
{
    if (points == m_measured)
        return;
    State s = captureState();
    s.measured = points;
    pushState(points.isEmpty() ? tr("Clear measured points") : tr("Import %n measured point(s)", nullptr, int(points.size())), s);
}

void Scenario::pinReference()
{
    State s = captureState();
    s.reference = m_params;
    if (s.reference == m_reference)
        return;
    pushState(tr("Pin reference"), s);
}

void Scenario::clearReference()
{
    if (!m_reference)
        return;
    State s = captureState();
    s.reference.reset();
    pushState(tr("Clear reference"), s);
}

void Scenario::newScenario()
{
    m_undo->clear();
    applyState(defaultState());
    ++m_mergeId;
    if (!m_filePath.isEmpty()) {
        m_filePath.clear();
        emit filePathChanged(m_filePath);
    }
}

// ---- Files ---------------------------------------------------------------------------------

json Scenario::toJson() const
{
    json schemes = json::array();
    for (core::Scheme s : visibleSchemes())
        schemes.push_back(std::string(core::schemeId(s)));
    json measured = json::array();
    for (const MeasuredPoint &m : m_measured)
        measured.push_back({{"intensity_flop_per_byte", m.intensityFlopPerByte},
                            {"achieved_flops_per_s", m.achievedFlopsPerS},
                            {"label", m.label.toStdString()}});
    json platformIds = json::array();
    for (const QString &id : m_view.platforms)
        platformIds.push_back(id.toStdString());
    json j = {
        {"schema", kScenarioSchema},
        {"model_preset", m_modelPresetId.toStdString()},
        {"hardware_preset", m_hardwarePresetId.toStdString()},
        {"parameters", core::parametersToJson(m_params)},
        {"phase", core::phaseId(m_params.workload.phase)},
        {"apply_derates", m_params.applyDerates},
        {"visible_schemes", schemes},
        {"view",
         {{"throughput_axis", std::string(core::sweepAxisId(m_view.throughputAxis))},
          {"show_operators", m_view.showOperators},
          {"explain_scheme", std::string(core::schemeId(m_view.explainScheme))},
          {"explain_operator", m_view.explainOperator},
          {"theme", themeId(m_view.theme).toStdString()},
          {"platforms", platformIds},
          {"platform_normalization", std::string(core::normalizationId(m_view.platformNormalization))}}},
        {"measured_points", measured},
    };
    if (m_reference)
        j["reference"] = core::parametersToJson(*m_reference);
    return j;
}

QString Scenario::loadJson(const json &j, const QString &fileName)
{
    State s = defaultState();
    try {
        if (!j.is_object())
            throw LoadError{"expected a JSON object at the top level, got " + typeName(j)};
        requireKnownKeys(j, "",
                         {"schema", "model_preset", "hardware_preset", "parameters", "phase", "apply_derates",
                          "visible_schemes", "view", "measured_points", "reference", kAutosaveKey});
        const std::string schema = readString(require(j, "schema", ""), "schema");
        if (schema != kScenarioSchema)
            fail("schema", "unsupported \"" + schema + "\"; expected \"" + kScenarioSchema + "\"");

        s.modelPresetId = QString::fromStdString(readString(require(j, "model_preset", ""), "model_preset"));
        s.hardwarePresetId = QString::fromStdString(readString(require(j, "hardware_preset", ""), "hardware_preset"));
        // Unknown preset ids (a colleague's user preset) are tolerated: the file holds every number.
        const json &params = require(j, "parameters", "");
        // Read over the defaults only for the model and hardware of presets unknown here; the rules
        // across fields are checked once, on the file's values merged over the named presets (a
        // hand-written file may set parallel.expert and leave the experts to its model preset).
        const core::Parameters fromFile = parseParameters(params, "parameters", core::Parameters{});
        s.presetParams = presetBase(s.modelPresetId, s.hardwarePresetId, fromFile);
        s.params = readParameters(params, "parameters", s.presetParams);
        if (const auto it = j.find("phase"); it != j.end()) {
            const std::string phase = readString(*it, "phase");
            if (phase == "decode")
                s.params.workload.phase = core::Phase::Decode;
            else if (phase == "prefill")
                s.params.workload.phase = core::Phase::Prefill;
            else
                fail("phase", "expected \"decode\" or \"prefill\", got \"" + phase + "\"");
        }
        if (const auto it = j.find("apply_derates"); it != j.end())
            s.params.applyDerates = readBool(*it, "apply_derates");
        s.presetParams.workload.phase = s.params.workload.phase;
        s.presetParams.applyDerates = s.params.applyDerates;
        s.presetParams.scope = s.params.scope;

        if (const auto it = j.find("visible_schemes"); it != j.end()) {
            if (!it->is_array())
                fail("visible_schemes", "expected an array of scheme ids, got " + typeName(*it));
            s.visible.assign(core::kAllSchemes.size(), false);
            for (std::size_t i = 0; i < it->size(); ++i) {
                const std::string field = "visible_schemes[" + std::to_string(i) + "]";
                const std::string id = readString((*it)[i], field);
                const std::optional<core::Scheme> scheme = core::schemeFromId(id);
                if (!scheme)
                    fail(field, "unknown scheme id \"" + id + "\"; expected one of " + allSchemeIds());
                s.visible[std::size_t(*scheme)] = true;
            }
        }

        if (const auto it = j.find("view"); it != j.end()) {
            if (!it->is_object())
                fail("view", "expected an object, got " + typeName(*it));
            const json &v = *it;
            requireKnownKeys(v, "view.",
                             {"throughput_axis", "show_operators", "explain_scheme", "explain_operator", "theme",
                              "platforms", "platform_normalization"});
            if (const auto a = v.find("throughput_axis"); a != v.end()) {
                const std::string id = readString(*a, "view.throughput_axis");
                const std::optional<core::SweepAxis> axis = core::sweepAxisFromId(id);
                if (!axis) {
                    std::string ids;
                    for (const core::FieldInfo &f : core::allFields())
                        ids += (ids.empty() ? "" : ", ") + std::string(core::sweepAxisId(f.field));
                    fail("view.throughput_axis", "unknown axis \"" + id + "\"; expected one of " + ids);
                }
                s.view.throughputAxis = *axis;
            }
            if (const auto a = v.find("show_operators"); a != v.end())
                s.view.showOperators = readBool(*a, "view.show_operators");
            if (const auto a = v.find("explain_scheme"); a != v.end()) {
                const std::string id = readString(*a, "view.explain_scheme");
                const std::optional<core::Scheme> scheme = core::schemeFromId(id);
                if (!scheme)
                    fail("view.explain_scheme", "unknown scheme id \"" + id + "\"; expected one of " + allSchemeIds());
                s.view.explainScheme = *scheme;
            }
            if (const auto a = v.find("explain_operator"); a != v.end()) {
                // is_number_unsigned() first: get<long long>() would wrap 18446744073709551615 to -1.
                if (!a->is_number_integer() || (a->is_number_unsigned() && a->get<unsigned long long>() > 1000)
                    || a->get<long long>() < -1 || a->get<long long>() > 1000)
                    fail("view.explain_operator", "expected an integer from -1 (whole step) to 1000, got " + a->dump());
                s.view.explainOperator = a->get<int>();
            }
            if (const auto a = v.find("theme"); a != v.end()) {
                const QString theme = QString::fromStdString(readString(*a, "view.theme"));
                const std::optional<ThemeId> id = themeFromId(theme);
                if (!id)
                    fail("view.theme", "expected one of light, dark, paper, slides, got \"" + theme.toStdString() + "\"");
                s.view.theme = *id;
            }
            if (const auto a = v.find("platforms"); a != v.end()) {
                // Hardware preset ids; ids unknown here (a colleague's user preset) are kept and skipped when drawn.
                if (!a->is_array())
                    fail("view.platforms", "expected an array of hardware preset ids, got " + typeName(*a));
                for (std::size_t i = 0; i < a->size(); ++i)
                    s.view.platforms << QString::fromStdString(readString((*a)[i], "view.platforms[" + std::to_string(i) + "]"));
            }
            if (const auto a = v.find("platform_normalization"); a != v.end()) {
                const std::string id = readString(*a, "view.platform_normalization");
                const std::optional<core::Normalization> n = core::normalizationFromId(id);
                if (!n)
                    fail("view.platform_normalization", "expected \"absolute\", \"mha\" or \"peak\", got \"" + id + "\"");
                s.view.platformNormalization = *n;
            }
        }

        if (const auto it = j.find("measured_points"); it != j.end()) {
            if (!it->is_array())
                fail("measured_points", "expected an array, got " + typeName(*it));
            for (std::size_t i = 0; i < it->size(); ++i) {
                const std::string field = "measured_points[" + std::to_string(i) + "]";
                const json &m = (*it)[i];
                if (!m.is_object())
                    fail(field, "expected an object, got " + typeName(m));
                requireKnownKeys(m, field + ".", {"intensity_flop_per_byte", "achieved_flops_per_s", "label"});
                MeasuredPoint p;
                p.intensityFlopPerByte = readPositive(require(m, "intensity_flop_per_byte", field + "."),
                                                      field + ".intensity_flop_per_byte");
                p.achievedFlopsPerS = readPositive(require(m, "achieved_flops_per_s", field + "."),
                                                   field + ".achieved_flops_per_s");
                if (const auto l = m.find("label"); l != m.end())
                    p.label = QString::fromStdString(readString(*l, field + ".label"));
                s.measured.push_back(p);
            }
        }

        if (const auto it = j.find("reference"); it != j.end() && !it->is_null())
            s.reference = readParameters(*it, "reference", s.presetParams);

        // Written by Autosave next to the scenario; its content is Autosave's business.
        if (const auto it = j.find(kAutosaveKey); it != j.end() && !it->is_object())
            fail(kAutosaveKey, "expected an object, got " + typeName(*it));
    } catch (const LoadError &e) {
        return QStringLiteral("%1: %2").arg(fileName, QString::fromStdString(e.message));
    } catch (const std::exception &e) {
        return QStringLiteral("%1: %2").arg(fileName, QString::fromStdString(e.what()));
    }

    const ThemeId theme = s.view.theme;
    m_undo->clear();
    ++m_mergeId;
    applyState(s);
    setTheme(theme);
    return {};
}

QString Scenario::open(const QString &path)
{
    QFile file(path);
    // stat() before open(): a FIFO would block the open; a directory is not "no such file".
    // Resources (":/presets/scenarios/…") are regular by construction.
    if (!path.startsWith(QLatin1Char(':'))) {
        const std::string problem = core::inputFileProblem(QFile::encodeName(path).toStdString(), kMaxScenarioBytes);
        if (!problem.empty())
            return tr("%1: %2").arg(path, QString::fromStdString(problem));
    }
    if (file.size() > kMaxScenarioBytes)
        return tr("%1: the file is %2 bytes; scenario files may be at most %3 bytes (4 MiB)")
            .arg(path)
            .arg(file.size())
            .arg(kMaxScenarioBytes);
    if (!file.open(QIODevice::ReadOnly))
        return tr("%1: cannot open the file for reading (%2)").arg(path, file.errorString());
    const QByteArray bytes = file.read(kMaxScenarioBytes + 1);
    if (bytes.size() > kMaxScenarioBytes)
        return tr("%1: the file is larger than %2 bytes (4 MiB)").arg(path).arg(kMaxScenarioBytes);
    json j;
    try {
        j = json::parse(bytes.constBegin(), bytes.constEnd());
    } catch (const json::exception &e) {
        return tr("%1: not valid JSON (%2); expected a scenario saved by MLA Studio")
            .arg(path, QString::fromStdString(e.what()));
    }
    const QString error = loadJson(j, path);
    if (!error.isEmpty())
        return error;
    m_filePath = QFileInfo(path).absoluteFilePath();
    emit filePathChanged(m_filePath);
    return {};
}

QString Scenario::save(const QString &path, QString *backupError)
{
    const QByteArray bytes = QByteArray::fromStdString(toJson().dump(2)) + '\n';
    // Best effort: a failed backup must not block saving the user's work (an older PATH~ stays).
    const QString backup = writeBackupCopy(path);
    if (backupError)
        *backupError = backup;
    if (const QString error = writeFileAtomically(path, bytes); !error.isEmpty())
        return error;
    m_undo->setClean();
    ++m_mergeId;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (absolute != m_filePath) {
        m_filePath = absolute;
        emit filePathChanged(m_filePath);
    }
    return {};
}

} // namespace mlastudio::ui
