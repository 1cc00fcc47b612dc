// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/platforms.h"
#include "mlastudio/core/serving.h"

#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <optional>
#include <vector>

class QComboBox;
class QTextBrowser;

namespace mlastudio::ui {

class Scenario;

/**
 * Explains one operator (or the whole step) of one scheme: the cost formulas with the current
 * numbers substituted, the three roof times, the bound and why, and the on-chip notes.
 */
class ExplainView : public QWidget
{
    Q_OBJECT

public:
    explicit ExplainView(Scenario *scenario, QWidget *parent = nullptr);
    ~ExplainView() override;

    QString viewId() const { return QStringLiteral("explain"); }
    QString title() const { return tr("Explain"); }
    QTextBrowser *browser() const { return m_browser; }
    /** \return the current HTML. */
    QString html() const;

public Q_SLOTS:
    void refresh();

    /** Refreshes now, or within kRefreshMs when shown in a window (coalescing slider drags). */
    void scheduleRefresh();

    /** While deferred (a slider is held) scheduled refreshes wait; ending it schedules one
     *  refresh (within kRefreshMs) if one was asked for meanwhile. */
    void setRefreshDeferred(bool deferred);
    bool isRefreshDeferred() const { return m_deferred; }

public:
    static constexpr int kRefreshMs = 80;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void fillCombos();
    void onComboChanged();

    // The page's parts, in reading order; refresh() joins them.
    QString invalidInputsHtml() const;
    QString inapplicableHtml() const;
    QString symbolsText() const;
    QString operatorHtml(const core::StepResult &r, const core::OperatorResult &o, const QString &symbols) const;
    /** The work rows of one operator (its formulas); adds its per-layer MACs and FLOPs. */
    QString operatorWorkRows(const core::StepResult &r, const core::OperatorResult &o, double &macsPerLayer,
                             double &flopsPerLayer) const;
    QString operatorRoofRows(const core::OperatorResult &o) const;
    QString wholeStepHtml(const core::StepResult &r, const QString &symbols);
    QString wholeStepRows(const core::StepResult &r) const;
    QString comparisonRows(const core::StepResult &r) const;
    QString operatorTable(const core::StepResult &r) const;
    QString servingRows(const core::StepResult &r);
    QString platformsHtml(const core::StepResult &r);
    QString notesHtml(const core::StepResult &r) const;

    /** evaluateServing() of the current parameters and \p scheme (nullopt: auto), computed once per
     *  parameter change: scheme, operator and theme changes reuse it. Empty when invalid. */
    const std::optional<core::ServingResult> &serving(std::optional<core::Scheme> scheme);
    /** stabilityOf(comparePlatforms()) of the current parameters, kept the same way. */
    const std::vector<core::Stability> &platformStability(const std::vector<core::Scheme> &schemes);
    /** Forgets both (the parameters or the reference changed). */
    void clearCaches();

    Scenario *m_scenario = nullptr;
    QComboBox *m_schemeCombo = nullptr;
    QComboBox *m_operatorCombo = nullptr;
    QTextBrowser *m_browser = nullptr;
    bool m_updating = false;
    bool m_dirty = false;  //!< results changed while hidden
    bool m_deferred = false;
    bool m_deferredPending = false;  //!< a refresh was scheduled while deferred
    QTimer m_refreshTimer;

    // What refresh() computed for the current parameters; cleared on Scenario::resultsChanged,
    // which the scenario emits whenever its parameters change.
    struct Serving {
        std::optional<core::Scheme> scheme;
        std::optional<core::ServingResult> result;
    };
    std::vector<Serving> m_serving;
    struct Platforms {
        bool valid = false;
        QStringList picked;  //!< ViewSettings::platforms it was computed for
        std::vector<core::Scheme> schemes;
        std::vector<core::Stability> stability;
    };
    Platforms m_platforms;
};

} // namespace mlastudio::ui
