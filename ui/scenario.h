// SPDX-License-Identifier: MIT
#pragma once

#include "views/figuretheme.h"

#include "mlastudio/core/evaluate.h"
#include "mlastudio/core/fields.h"
#include "mlastudio/core/parameters.h"
#include "mlastudio/core/platforms.h"
#include "mlastudio/core/scheme.h"
#include "mlastudio/core/sweep.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

#include <nlohmann/json_fwd.hpp>

#include <deque>
#include <optional>
#include <vector>

class QUndoStack;

namespace mlastudio::ui {

class PresetRegistry;

inline constexpr const char *kScenarioSchema = "mlastudio.scenario/1";
inline constexpr const char *kScenarioSuffix = ".mlastudio.json";
/** Largest scenario file accepted by Scenario::open(), in bytes. */
inline constexpr qint64 kMaxScenarioBytes = 4 * 1024 * 1024;
inline constexpr const char *kDefaultModelPreset = "deepseek-v3";
inline constexpr const char *kDefaultHardwarePreset = "h100-sxm";
/** Undo steps kept per scenario; older ones are dropped (each step holds two copies of the state). */
inline constexpr int kUndoLimit = 1000;
/** Optional top-level object of a scenario file written by Autosave (original path, time); loadJson() ignores it. */
inline constexpr const char *kAutosaveKey = "autosave";

/** A measured operating point imported from CSV and drawn on the roofline. */
struct MeasuredPoint {
    double intensityFlopPerByte = 0.0;
    double achievedFlopsPerS = 0.0;
    QString label;

    friend bool operator==(const MeasuredPoint &, const MeasuredPoint &) = default;
};

/**
 * \return what the results cover, for captions and the status bar: "attention only" (the default
 * scope: every attention operator of all layers), "one attention kernel" or "whole model".
 */
QString scopeCaption(const core::Parameters &params);
/** \return "+38 %", "−4.2 %", "±0 %": a relative change as the status bar and explain view state it. */
QString signedPercent(double change);

/** View settings that belong to a scenario (saved with it). */
struct ViewSettings {
    core::SweepAxis throughputAxis = core::SweepAxis::KvLength; //!< x axis of throughput and energy views
    bool showOperators = false;                                //!< roofline: draw each operator too
    core::Scheme explainScheme = core::Scheme::MlaReuse;       //!< explain view: selected scheme
    int explainOperator = -1;                                  //!< explain view: operator index, -1 = whole step
    ThemeId theme = ThemeId::Light;                            //!< figure theme (an application preference)
    QStringList platforms;                                     //!< platforms view: hardware preset ids; empty = every preset
    core::Normalization platformNormalization = core::Normalization::Absolute; //!< platforms view

    friend bool operator==(const ViewSettings &, const ViewSettings &) = default;
};

/**
 * The document: preset choice, edited parameters, visible schemes, view settings, the pinned
 * reference and imported measurements. Owns the undo stack; every edit goes through it.
 * Views read results() and listen to resultsChanged(); they never change parameters directly.
 */
class Scenario final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Scenario)

public:
    explicit Scenario(QObject *parent = nullptr);
    ~Scenario() override;

    // ---- State -----------------------------------------------------------------------------
    const core::Parameters &parameters() const { return m_params; }
    /** The parameters of the chosen presets, before any edit (for "differs from preset" and reset). */
    const core::Parameters &presetParameters() const { return m_presetParams; }
    QString modelPresetId() const;
    QString hardwarePresetId() const;
    bool isSchemeVisible(core::Scheme scheme) const;
    std::vector<core::Scheme> visibleSchemes() const;
    const ViewSettings &viewSettings() const { return m_view; }
    const QVector<MeasuredPoint> &measuredPoints() const { return m_measured; }
    bool fieldDiffersFromPreset(core::Field field) const;

    // ---- Results (recomputed once per change, shared by all views) -------------------------
    /** Results of every applicable scheme, in core::kAllSchemes order. Empty if inputs are invalid. */
    const std::vector<core::StepResult> &results() const { return m_results; }
    /** \return the result of one scheme, or nullptr if not applicable / invalid inputs. */
    const core::StepResult *result(core::Scheme scheme) const;
    /** Problems with the current inputs (empty when valid). */
    const std::vector<core::ValidationIssue> &issues() const { return m_issues; }
    /** The pinned reference ("compare with…"), if any. */
    const std::optional<core::Parameters> &reference() const { return m_reference; }
    const std::vector<core::StepResult> &referenceResults() const { return m_referenceResults; }
    /** \return the reference's result of one scheme, or nullptr (no reference, or not applicable to it). */
    const core::StepResult *referenceResult(core::Scheme scheme) const;
    /**
     * \return core::sweep() of the current parameters (or, with \p ofReference, the reference's) over
     * \p values, computed once until they change: the throughput and energy views draw the same
     * curves and share one sweep. Throws what core::sweep() throws (nothing is kept then). The
     * reference stays valid until the parameters or the reference change.
     */
    const core::SweepSeries &sweep(bool ofReference, core::Scheme scheme, core::SweepAxis axis,
                                   const std::vector<double> &values) const;
    /** \return how many sweeps sweep() has computed (not found in its cache) so far. */
    int sweepsComputed() const { return m_sweepsComputed; }
    /**
     * \return the change of one scheme's tokens/s against the pinned reference, current / reference − 1
     * (0.38 for +38 %), from the core results of both; nullopt without a reference or a result on either side.
     */
    std::optional<double> tokenRateChangeVsReference(core::Scheme scheme) const;

    // ---- Edits (each one an undoable command) ----------------------------------------------
    /** Sets a field in SI units. Consecutive changes of one field merge into one undo step until endMerge(). */
    void setField(core::Field field, double siValue);
    /** Ends the current merge window (call on slider release). */
    void endMerge();
    void resetField(core::Field field);
    void resetAllFields();
    void setModelPreset(const QString &id);
    void setHardwarePreset(const QString &id);
    void setPhase(core::Phase phase);
    void setApplyDerates(bool on);
    /** "Attention only" (core::Scope::Step) or "Whole model" (core::Scope::Model); saved in the parameters. */
    void setScope(core::Scope scope);
    void setSchemeVisible(core::Scheme scheme, bool visible);
    /** Undoable, except a change of the theme alone, which is an application preference (see setTheme()). */
    void setViewSettings(const ViewSettings &settings);
    /** Sets the figure theme without an undo step and without marking the document modified. */
    void setTheme(ThemeId theme);
    void setMeasuredPoints(const QVector<MeasuredPoint> &points);
    /** Pins the current parameters as the faded reference. */
    void pinReference();
    void clearReference();
    /** Restores the default scenario: default presets, no edits, empty history, no file. */
    void newScenario();

    QUndoStack *undoStack() const { return m_undo; }
    /** The shared preset registry (loaded once per process). */
    static const PresetRegistry &presetRegistry();

    // ---- Files -----------------------------------------------------------------------------
    /** \return the scenario as JSON (schema kScenarioSchema). */
    nlohmann::json toJson() const;
    /**
     * Replaces the whole state from JSON. On error the state is unchanged.
     * \return an empty string on success, else a message naming the field and what was expected.
     */
    QString loadJson(const nlohmann::json &j, const QString &fileName);
    /** Reads a file (size-limited). On error the state is unchanged. \return error message or empty. */
    QString open(const QString &path);
    /**
     * Writes atomically (writeFileAtomically()) after keeping the previous file as PATH~. On error
     * the file at \p path is unchanged and the document stays modified. A failed backup does not
     * stop the save; its error goes to \p backupError (empty when the backup was made or not needed).
     * \return error message or empty.
     */
    QString save(const QString &path, QString *backupError = nullptr);
    QString filePath() const { return m_filePath; }
    bool isModified() const;
    /**
     * After loadJson() of recovered work: marks the document modified (no clean state in the
     * history) and sets the file it belongs to (empty for an untitled scenario) without writing it.
     */
    void markRecovered(const QString &filePath);

signals:
    /** Inputs changed (parameters, presets, phase, derates, scope). */
    void parametersChanged();
    /** New results are available (emitted after every recomputation). */
    void resultsChanged();
    /** Visibility of schemes, view settings, measured points or the reference changed. */
    void presentationChanged();
    void modifiedChanged(bool modified);
    void filePathChanged(const QString &path);

private:
    friend class ScenarioCommand;
    /** Everything an undo step restores (the theme is an application preference and excluded). */
    struct State {
        QString modelPresetId;
        QString hardwarePresetId;
        core::Parameters params;
        core::Parameters presetParams;
        std::vector<bool> visible;
        ViewSettings view;
        QVector<MeasuredPoint> measured;
        std::optional<core::Parameters> reference;
    };
    State captureState() const;
    /** Replaces the state, recomputes what changed and emits the matching signals. */
    void applyState(const State &state);
    void pushState(const QString &text, const State &after, int mergeField = -1);
    State defaultState() const;
    void recompute();
    void recomputeReference();

    QString m_modelPresetId;
    QString m_hardwarePresetId;
    core::Parameters m_params;
    core::Parameters m_presetParams;
    std::vector<bool> m_visible;
    ViewSettings m_view;
    QVector<MeasuredPoint> m_measured;
    std::optional<core::Parameters> m_reference;
    std::vector<core::StepResult> m_results;
    std::vector<core::StepResult> m_referenceResults;
    struct SweepEntry {
        bool ofReference;
        core::Scheme scheme;
        core::SweepAxis axis;
        std::vector<double> values;
        core::SweepSeries series;
        core::Parameters params;  //!< what it was computed from
    };
    //! Cleared when the parameters or the reference change, except the sweeps along the one field
    //! that changed: a sweep sets that field at every point, so it is the same sweep.
    mutable std::deque<SweepEntry> m_sweeps;
    mutable int m_sweepsComputed = 0;
    std::vector<core::ValidationIssue> m_issues;
    QUndoStack *m_undo = nullptr;
    QString m_filePath;
    int m_mergeId = 0;  //!< merge window generation, bumped by endMerge()
};

} // namespace mlastudio::ui
