// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/scheme.h"

#include <QColor>
#include <QPen>
#include <QString>
#include <QStringList>

namespace mlastudio::ui {

/** Colours, fonts and line widths of a figure. Applied by every PlotView and by the exporter. */
struct FigureTheme {
    QString name;                       //!< "light", "dark", "paper" or "slides"
    QColor background = Qt::white;
    QColor foreground = Qt::black;      //!< axes, text
    QColor grid = QColor(220, 220, 220);
    QColor subGrid = QColor(240, 240, 240);
    QColor shadeMemory = QColor(0, 114, 178, 18);   //!< memory-bound region of the roofline
    QColor shadeCompute = QColor(213, 94, 0, 18);   //!< compute-bound region of the roofline
    QColor reference = QColor(150, 150, 150);       //!< the pinned reference (faded)
    QColor mha = QColor(0, 0, 0);                   //!< MHA's ink: Okabe–Ito black, light grey on dark backgrounds
    QString fontFamily = QStringLiteral("Sans Serif");
    double fontPointSize = 9.0;
    double lineWidth = 2.0;
    double markerSize = 8.0;

    /** \return the named preset; unknown names give "light". */
    static FigureTheme preset(const QString &name);
    /** \return the preset names: light, dark, paper, slides. */
    static QStringList presetNames();
    /** \return the scheme's colour on this theme's background (ui::schemeColor, but MHA stays visible on dark). */
    QColor schemeColor(core::Scheme scheme) const;
    /** \return ui::schemePen in this theme's scheme colour. */
    QPen schemePen(core::Scheme scheme, double width) const;
    /** \return this theme with font and line sizes multiplied by \p factor. */
    FigureTheme scaled(double factor) const;
};

} // namespace mlastudio::ui
