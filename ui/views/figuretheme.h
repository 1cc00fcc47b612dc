// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/scheme.h"

#include <QColor>
#include <QPen>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace mlastudio::ui {

/** The figure themes. Their ids ("light", "dark", "paper", "slides") appear only in files and on
 *  the command line (themeId(), themeFromId()). */
enum class ThemeId { Light, Dark, Paper, Slides };

/** Every theme, in menu order. */
inline constexpr std::array<ThemeId, 4> kThemeIds{ThemeId::Light, ThemeId::Dark, ThemeId::Paper, ThemeId::Slides};
/** \return the theme's id, e.g. "paper". */
QString themeId(ThemeId theme);
/** \return the theme with id \p id, or nothing for an unknown id. */
std::optional<ThemeId> themeFromId(const QString &id);

/** Colours, fonts and line widths of a figure. Applied by every PlotView and by the exporter. */
struct FigureTheme {
    ThemeId id = ThemeId::Light;
    QColor background = Qt::white;
    QColor foreground = Qt::black;      //!< axes, text
    QColor grid = QColor(220, 220, 220);
    QColor subGrid = QColor(240, 240, 240);
    QColor shadeMemory = QColor(0, 114, 178, 18);   //!< memory-bound region of the roofline
    QColor shadeCompute = QColor(213, 94, 0, 18);   //!< compute-bound region of the roofline
    QColor reference = QColor(150, 150, 150);       //!< the pinned reference (faded)
    QColor mha = QColor(0, 0, 0);                   //!< MHA's ink: Okabe–Ito black, light grey on dark backgrounds
    QColor faintText = QColor(110, 110, 110);       //!< secondary labels (region names)
    QColor sramRoof = QColor(120, 120, 120);        //!< the on-chip roof and its labels
    QColor weightBar = QColor(200, 200, 200);       //!< weights in the memory bars
    QColor warning = QColor(213, 94, 0);            //!< DRAM capacity, "does not fit"
    QColor energyCompute = QColor(60, 60, 60);      //!< energy parts: compute, on-chip, DRAM, static
    QColor energySram = QColor(86, 180, 233);
    QColor energyDram = QColor(230, 159, 0);
    QColor energyStatic = QColor(190, 190, 190);
    QColor highlight = QColor(255, 215, 0, 70);     //!< the current platform's band
    QString fontFamily = QStringLiteral("Sans Serif");
    double fontPointSize = 9.0;
    double lineWidth = 2.0;
    double markerSize = 8.0;

    /** \return the preset theme. */
    static FigureTheme preset(ThemeId id);
    /** \return the scheme's colour on this theme's background (ui::schemeColor, but MHA stays visible on dark). */
    QColor schemeColor(core::Scheme scheme) const;
    /** \return ui::schemePen in this theme's scheme colour. */
    QPen schemePen(core::Scheme scheme, double width) const;
    /** \return this theme with font and line sizes multiplied by \p factor. */
    FigureTheme scaled(double factor) const;
};

} // namespace mlastudio::ui
