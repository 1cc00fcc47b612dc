// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

#include "mlastudio/core/validation.h"

#include <QStringList>

#include <vector>

class QTableWidget;

namespace mlastudio::ui {

/**
 * Published kernel timings against the model: a parity plot (measured vs predicted kernel time,
 * log–log, y = x and a ±20 % band, one marker per scheme; hovering a point shows its configuration
 * and source) and the table of points under it. Each point is evaluated on its own preset hardware
 * and model (kernel scope) with the scenario's derate setting; the other scenario inputs do not
 * apply to published points. See docs/validation.md.
 */
class ValidationView : public PlotView
{
    Q_OBJECT

public:
    /** Shows the shipped set (presets/measured/), or \p files when given (tests, other data sets). */
    explicit ValidationView(Scenario *scenario, QWidget *parent = nullptr, const QStringList &files = {});
    ~ValidationView() override;

    QString viewId() const override { return QStringLiteral("validation"); }
    QString title() const override { return tr("Validation"); }

    QTableWidget *table() const { return m_table; }
    /** The points with both predictions (empty when they could not be loaded). */
    const std::vector<core::ValidationRow> &rows() const { return m_rows; }
    /** Why the points could not be loaded (file:line: message), or empty. */
    QString loadError() const { return m_loadError; }
    /** \return the predicted kernel time shown for a row: derates on or off as the scenario says. */
    double shownPredictionS(const core::ValidationRow &row) const;
    /** \return the tooltip of the point under a pixel of the plot (within a few pixels), or empty. */
    QString toolTipAt(const QPoint &pixel) const;

    /** The table: one row per point (header first). */
    QStringList csvRows() const override;
    /** The points and the summary, as `validate --format json` writes them, plus the derate setting. */
    nlohmann::json dataJson() const override;

protected:
    void rebuild() override;

private:
    void resultsChanged();
    void showToolTip(QMouseEvent *event);
    void fillTable();

    QTableWidget *m_table = nullptr;
    std::vector<core::ValidationRow> m_rows;
    QString m_loadError;
    bool m_shownDerates = false;  //!< the derate setting the plot and table show
    /** Plot coordinates (µs) of each row's marker, in row order. */
    std::vector<QPointF> m_markers;
};

} // namespace mlastudio::ui
