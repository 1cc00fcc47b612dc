// SPDX-License-Identifier: MIT
#pragma once

#include "views/plotview.h"

#include "mlastudio/core/platforms.h"

#include <QVector>

#include <vector>

class QComboBox;
class QCPAxisRect;
class QCPLegend;
class QCPTextElement;
class QMouseEvent;
class QToolButton;

namespace mlastudio::ui {

/**
 * Every visible scheme on a set of hardware platforms (ViewSettings::platforms; default every preset),
 * ordered by machine balance: tokens/s above, energy per token stacked by part below, in the
 * scenario's normalisation. Platforms that do not fit are hatched, the current hardware is shaded,
 * and the utilisation spread of each scheme is printed under the bars. Clicking a group makes that
 * platform the current hardware (one undo step).
 */
class PlatformsView : public PlotView
{
    Q_OBJECT

public:
    explicit PlatformsView(Scenario *scenario, QWidget *parent = nullptr);
    ~PlatformsView() override;

    QString viewId() const override { return QStringLiteral("platforms"); }
    QString title() const override { return tr("Platforms"); }

    /** The rows last drawn, in machine-balance order. */
    const std::vector<core::PlatformRow> &rows() const { return m_rows; }
    /** The schemes drawn (the visible ones that apply). */
    const std::vector<core::Scheme> &schemes() const { return m_schemes; }
    /** The axis rect of the energy bars (the tokens/s bars are plot()->axisRect()). */
    QCPAxisRect *energyRect() const { return m_energyRect; }
    /** The stability readout under the bars. */
    QString stabilityText() const;
    /** \return the hover text of the platform group at \p index (what the tooltip shows). */
    QString hoverText(int index) const;
    /** \return the platform group under a pixel position of the plot, or -1. */
    int groupAt(const QPointF &pixel) const;

    /** The hardware configurations the view compares: the picker's presets, the current one as edited. */
    std::vector<core::HardwareConfig> chosenPlatforms() const;

    QStringList csvRows() const override;
    nlohmann::json dataJson() const override;

    void prepareForSize(const QSize &size) override;

protected:
    void rebuild() override;
    void themeChanged() override;

private:
    void onMouseMove(QMouseEvent *event);
    void onMousePress(QMouseEvent *event);
    void onNormalizationChosen(int index);
    void rebuildPickerMenu();
    /** Tokens/s bars, one plottable per scheme and fit (hatched: does not fit in DRAM). */
    void drawThroughputBars(double barWidth);
    /** Energy bars stacked by part, outlined in the scheme's colour, and the parts' legend. */
    void drawEnergyBars(double barWidth);
    /** A shaded band behind the current hardware's group in both panels. */
    void markCurrentHardware(const QString &currentId);
    /** Wraps the caption and readout, sizes the legends and shortens the platform labels for a figure \p width pixels wide. */
    void fitToWidth(int width);

    QComboBox *m_normCombo = nullptr;
    QToolButton *m_picker = nullptr;
    QCPAxisRect *m_energyRect = nullptr;
    QCPLegend *m_partLegend = nullptr;
    QCPTextElement *m_caption = nullptr;
    QCPTextElement *m_stability = nullptr;
    std::vector<core::PlatformRow> m_rows;
    std::vector<core::Scheme> m_schemes;
    QString m_captionText;
    QString m_stabilityText;
    QString m_compactStabilityText;
    int m_fittedWidth = 0;
    core::Normalization m_normalization = core::Normalization::Absolute;
};

/** \return the platforms a scenario compares (ViewSettings::platforms, default every preset), the current one as edited. */
std::vector<core::HardwareConfig> chosenPlatforms(const Scenario &scenario);

/** \return the stability figures of a comparison as the readout's text (compact: one paragraph for narrow figures). */
QString stabilityReadout(const std::vector<core::PlatformRow> &rows, const std::vector<core::Scheme> &schemes,
                         bool compact = false);

} // namespace mlastudio::ui
