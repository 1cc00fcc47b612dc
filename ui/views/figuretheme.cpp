// SPDX-License-Identifier: MIT
#include "views/figuretheme.h"

#include "schemestyle.h"

namespace mlastudio::ui {

QString themeId(ThemeId theme)
{
    switch (theme) {
    case ThemeId::Light: return QStringLiteral("light");
    case ThemeId::Dark: return QStringLiteral("dark");
    case ThemeId::Paper: return QStringLiteral("paper");
    case ThemeId::Slides: return QStringLiteral("slides");
    }
    return QStringLiteral("light");
}

std::optional<ThemeId> themeFromId(const QString &id)
{
    for (ThemeId t : kThemeIds)
        if (themeId(t) == id)
            return t;
    return std::nullopt;
}

FigureTheme FigureTheme::preset(ThemeId id)
{
    FigureTheme t;
    t.id = id;
    switch (id) {
    case ThemeId::Dark:
        t.background = QColor(30, 32, 36);
        t.foreground = QColor(225, 225, 225);
        t.grid = QColor(70, 72, 78);
        t.subGrid = QColor(48, 50, 55);
        t.shadeMemory = QColor(86, 180, 233, 28);
        t.shadeCompute = QColor(230, 159, 0, 28);
        t.reference = QColor(140, 140, 140);
        t.mha = QColor(230, 230, 230);  // black MHA would vanish on the near-black background
        t.faintText = QColor(150, 150, 150);
        t.sramRoof = QColor(160, 160, 160);
        t.weightBar = QColor(110, 110, 110);
        t.energyCompute = QColor(200, 200, 200);
        t.energyStatic = QColor(110, 110, 110);
        t.highlight = QColor(255, 230, 120, 60);
        break;
    case ThemeId::Paper:
        // Black on white for a 3.5 in journal column: small serif fonts, thin lines.
        t.grid = QColor(215, 215, 215);
        t.subGrid = QColor(238, 238, 238);
        t.fontFamily = QStringLiteral("Serif");
        t.fontPointSize = 7.0;
        t.lineWidth = 1.0;
        t.markerSize = 5.0;
        break;
    case ThemeId::Slides:
        t.fontPointSize = 16.0;
        t.lineWidth = 3.5;
        t.markerSize = 13.0;
        break;
    case ThemeId::Light:
        break;
    }
    return t;
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
