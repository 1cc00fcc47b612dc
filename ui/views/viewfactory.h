// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

#include <array>
#include <optional>

class QWidget;

namespace mlastudio::ui {

class PlotView;
class Scenario;

/** The views that render figures. Names ("roofline", …) appear only in files, settings and options. */
enum class ViewId {
    Roofline,
    Throughput,
    Energy,
    SchemeMap,
    Memory,
    Validation,
    Platforms,
};

/** Every plot view, in the order of the window's docks and of `figures`. */
inline constexpr std::array kAllPlotViews{ViewId::Roofline,   ViewId::Throughput, ViewId::Energy,   ViewId::SchemeMap,
                                          ViewId::Memory,     ViewId::Validation, ViewId::Platforms};

/** \return the stable name of a view, e.g. "scheme-map" (PlotView::viewId() of its view). */
QString viewIdName(ViewId id);
/** \return the view with this name, or std::nullopt. */
std::optional<ViewId> viewIdFromName(const QString &name);

/** \return the names of the views that render figures: roofline, throughput, energy, scheme-map, memory,
 *  validation, platforms. */
QStringList plotViewIds();

/** \return a new plot view. The GUI and the command line both build their views here, so a headless
 *  export draws exactly what the window shows. */
PlotView *createPlotView(ViewId id, Scenario *scenario, QWidget *parent = nullptr);
/** \return a new plot view for a view name, or nullptr for an unknown name. */
PlotView *createPlotView(const QString &viewName, Scenario *scenario, QWidget *parent = nullptr);

} // namespace mlastudio::ui
