// SPDX-License-Identifier: MIT
#pragma once

#include "views/figuretheme.h"

#include <QList>
#include <QPointer>
#include <QString>
#include <QWidget>

#include <optional>

#include <nlohmann/json_fwd.hpp>

class QCustomPlot;
class QCPAbstractPlottable;
class QCPAxis;
class QCPAxisRect;
class QCPItemText;
class QVBoxLayout;

namespace mlastudio::ui {

class FigureLayout;
class Scenario;

/**
 * Base of the plot views: a QCustomPlot that follows a Scenario. Subclasses rebuild their data in
 * rebuild() whenever results or presentation change; replots are queued, never blocking.
 */
class PlotView : public QWidget
{
    Q_OBJECT

public:
    explicit PlotView(Scenario *scenario, QWidget *parent = nullptr);
    ~PlotView() override;

    QCustomPlot *plot() const { return m_plot; }
    Scenario *scenario() const { return m_scenario; }
    /** \return a stable id, e.g. "roofline" (used for file names and settings). */
    virtual QString viewId() const = 0;
    /** \return a human-readable title, e.g. "Roofline". */
    virtual QString title() const = 0;

    /** Applies fonts, pens and colours of a theme and replots. */
    void applyTheme(const FigureTheme &theme);
    const FigureTheme &theme() const { return m_theme; }
    /** Draws in \p theme instead of the scenario's theme until called with std::nullopt
     *  (presentation mode shows the slides theme live). */
    void setThemeOverride(const std::optional<FigureTheme> &theme);

    /** Keeps every axis range as it is now: rebuilds move the data, not the frame. Unlocking
     *  rebuilds with automatic ranges. */
    void setAxesLocked(bool locked);
    bool axesLocked() const { return m_axesLocked; }

    /** Names each scheme's current point on the plot itself (presentation mode), placed by the
     *  layout pass like every label; views without points ignore it. */
    void setDirectLabels(bool on);
    bool directLabels() const { return m_directLabels; }

    /** Drag mode, while the user holds a slider: the plot draws without antialiasing, as
     *  QCustomPlot does during its own range drags (setNoAntialiasingOnDrag). Turning it off puts
     *  the antialiasing back and replots a visible view once (rebuilds it, if staleAfterDrag()).
     *  Exports never draw in drag mode. */
    void setDragMode(bool on);
    bool dragMode() const { return m_dragMode; }

    /** \return true if the view currently shows the "invalid inputs" message instead of data. */
    bool isShowingMessage() const;
    /** \return the message text shown on the plot (empty when none). */
    QString messageText() const;

    /** Called by the exporter after the plot was laid out at the export size, before the final render
     *  (views that place labels in pixels redo it here). */
    virtual void beforeRender() {}

    /** Places the side panel (if any) right of the main plot, or below it when the figure is
     *  narrower than kSideBySideAspect × its height. The exporter calls this with the export size. */
    void arrangeForSize(const QSize &size);
    /** Called first by arrangeForSize() (screen resizes and exports): views whose texts or labels
     *  depend on the figure's width adapt them here, before the layout. */
    virtual void prepareForSize(const QSize &) {}
    /** \return true while the side panel sits below the main plot. */
    bool isSidePanelStacked() const { return m_sideStacked; }
    /** Width/height ratio from which two panels are drawn side by side. */
    static constexpr double kSideBySideAspect = 1.8;

    /** Rebuilds now if a change arrived while the view was hidden (exports call this). */
    void ensureCurrent();

    /** \return the data behind the figure as CSV rows (header row first, no scenario line). */
    virtual QStringList csvRows() const;
    /** \return the data behind the figure as JSON (an array of series objects). */
    virtual nlohmann::json dataJson() const;

public Q_SLOTS:
    /** Recomputes the view's data from the scenario and queues a replot. */
    void refresh();

protected:
    /** Rebuilds all plottables and items from the scenario. */
    virtual void rebuild() = 0;
    /** True when what rebuild() made in drag mode must be made again once the drag ends (a view that
     *  computes less while a slider is held); leaving drag mode then rebuilds instead of replotting. */
    virtual bool staleAfterDrag() const { return false; }
    /** Lets subclasses restyle their own items after a theme change. */
    virtual void themeChanged() {}
    /** Shows \p text centred on the plot (empty hides it). */
    void setMessage(const QString &text);
    /** Shows "Invalid inputs" with every validation issue of the scenario (views call it instead of plotting). */
    void showInvalidInputs();
    /** The layout pass: views register their legends at construction and their labels at rebuild. */
    FigureLayout *figureLayout() const { return m_figureLayout; }
    /** Layout for extra controls above the plot (e.g. an axis combo box). */
    QVBoxLayout *mainLayout() const { return m_layout; }
    /** Styles an axis rect's axes with the current theme. */
    void styleAxisRect(QCPAxisRect *rect) const;
    void queueReplot();
    /** Removes every plottable and item except the message (and the plottable kept with keepOnClear()). */
    void clearContent();
    /** Keeps \p plottable through clearContent(), for a view that reuses a costly plottable across
     *  rebuilds (the scheme map's colour map); nullptr keeps none. The view still removes it when
     *  it has nothing to draw. */
    void keepOnClear(QCPAbstractPlottable *plottable);
    /** Adds a second axis rect beside the main one; \p share is its share of the width (or height). */
    void setSidePanel(QCPAxisRect *panel, double share);
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    /** rebuild(), then the locked ranges put back. */
    void rebuildContent();

    Scenario *m_scenario = nullptr;
    QCustomPlot *m_plot = nullptr;
    QCPItemText *m_message = nullptr;
    QPointer<QCPAbstractPlottable> m_keptPlottable;
    FigureLayout *m_figureLayout = nullptr;
    QVBoxLayout *m_layout = nullptr;
    QCPAxisRect *m_sidePanel = nullptr;
    double m_sideShare = 0.5;
    bool m_sideStacked = false;
    bool m_dirty = false;  //!< results changed while hidden
    FigureTheme m_theme;
    std::optional<FigureTheme> m_themeOverride;
    bool m_axesLocked = false;
    bool m_directLabels = false;
    bool m_dragMode = false;
    int m_antialiasedBackup = 0;     //!< QCP::AntialiasedElements before drag mode
    int m_notAntialiasedBackup = 0;  //!< QCP::AntialiasedElements before drag mode
    struct LockedRange {
        QPointer<QCPAxis> axis;
        QString label;  //!< the quantity the range belongs to
        double lower = 0.0;
        double upper = 1.0;
    };
    QList<LockedRange> m_lockedRanges;
};

} // namespace mlastudio::ui
