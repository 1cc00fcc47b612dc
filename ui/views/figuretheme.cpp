// SPDX-License-Identifier: MIT
#include "views/figuretheme.h"

#include "schemestyle.h"

namespace mlastudio::ui {

FigureTheme FigureTheme::preset(const QString &name)
{
    FigureTheme t;
    if (name == QLatin1String("dark")) {
        t.name = QStringLiteral("dark");
        t.background = QColor(30, 32, 36);
        t.foreground = QColor(225, 225, 225);
        t.grid = QColor(70, 72, 78);
        t.subGrid = QColor(48, 50, 55);
        t.shadeMemory = QColor(86, 180, 233, 28);
        t.shadeCompute = QColor(230, 159, 0, 28);
        t.reference = QColor(140, 140, 140);
        t.mha = QColor(230, 230, 230);  // black MHA would vanish on the near-black background
        return t;
    }
    if (name == QLatin1String("paper")) {
        // Black on white for a 3.5 in journal column: small serif fonts, thin lines.
        t.name = QStringLiteral("paper");
        t.grid = QColor(215, 215, 215);
        t.subGrid = QColor(238, 238, 238);
        t.fontFamily = QStringLiteral("Serif");
        t.fontPointSize = 7.0;
        t.lineWidth = 1.0;
        t.markerSize = 5.0;
        return t;
    }
    if (name == QLatin1String("slides")) {
        t.name = QStringLiteral("slides");
        t.fontPointSize = 16.0;
        t.lineWidth = 3.5;
        t.markerSize = 13.0;
        return t;
    }
    t.name = QStringLiteral("light");
    return t;
}

QStringList FigureTheme::presetNames()
{
    return {QStringLiteral("light"), QStringLiteral("dark"), QStringLiteral("paper"), QStringLiteral("slides")};
}

QColor FigureTheme::schemeColor(core::Scheme scheme) const
{
    return scheme == core::Scheme::Mha ? mha : ui::schemeColor(scheme);
}

QPen FigureTheme::schemePen(core::Scheme scheme, double width) const
{
    QPen pen = ui::schemePen(scheme, width);
    pen.setColor(schemeColor(scheme));
    return pen;
}

FigureTheme FigureTheme::scaled(double factor) const
{
    FigureTheme t = *this;
    t.fontPointSize *= factor;
    t.lineWidth *= factor;
    t.markerSize *= factor;
    return t;
}

} // namespace mlastudio::ui
