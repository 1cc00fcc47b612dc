// SPDX-License-Identifier: MIT
#include "headlinelabel.h"

#include <QEvent>
#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <utility>

namespace mlastudio::ui {

HeadlineLabel::HeadlineLabel(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    measure();
}

void HeadlineLabel::setRuns(QList<Run> runs)
{
    if (runs == m_runs)
        return;
    // A run that stays (most of them, while a slider moves) keeps its advance: the font is the same.
    const QList<Run> before = std::exchange(m_runs, std::move(runs));
    std::vector<int> known(std::size_t(m_runs.size()), -1);
    for (qsizetype i = 0; i < m_runs.size(); ++i)
        if (i < before.size() && before.at(i) == m_runs.at(i))
            known[std::size_t(i)] = m_advances.at(std::size_t(i));
    m_text.clear();
    for (const Run &run : std::as_const(m_runs))
        m_text += run.text;
    setAccessibleName(m_text);
    measure(known);
    update();
}

int HeadlineLabel::cachedRunCount() const
{
    return int(std::count_if(m_drawn.begin(), m_drawn.end(), [](const Drawn &d) { return !d.image.isNull(); }));
}

QFont HeadlineLabel::runFont(const Run &run) const
{
    QFont f = font();
    f.setBold(run.bold);
    return f;
}

void HeadlineLabel::measure(const std::vector<int> &known)
{
    int width = 0;
    int height = fontMetrics().height();
    m_advances.clear();
    for (qsizetype i = 0; i < m_runs.size(); ++i) {
        const Run &run = m_runs.at(i);
        const QFontMetrics metrics(runFont(run));
        const int advance = std::size_t(i) < known.size() ? known[std::size_t(i)] : -1;
        m_advances.push_back(advance >= 0 ? advance : metrics.horizontalAdvance(run.text));
        width += m_advances.back();
        height = std::max(height, metrics.height());
    }
    const QMargins m = contentsMargins();
    const QSize hint(width + m.left() + m.right(), height + m.top() + m.bottom());
    if (hint != m_hint) {
        m_hint = hint;
        updateGeometry();
    }
}

HeadlineLabel::Drawn HeadlineLabel::renderRun(const Run &run, const QFont &font, QRgb color) const
{
    const QFontMetrics metrics(font);
    // Glyphs may reach past the advance and the line (bearings, hinting).
    const int margin = 2 + metrics.height() / 4;
    const QSize size(metrics.horizontalAdvance(run.text) + 2 * margin, metrics.ascent() + metrics.descent() + 2 * margin);
    const qreal ratio = devicePixelRatioF();
    QImage image(size * ratio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(ratio);
    // The widget's resolution, so that the point size becomes the same pixel size.
    image.setDotsPerMeterX(int(std::lround(logicalDpiX() / 0.0254)));
    image.setDotsPerMeterY(int(std::lround(logicalDpiY() / 0.0254)));
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setFont(font);
    p.setPen(QColor::fromRgba(color));
    p.drawText(margin, margin + metrics.ascent(), run.text);
    p.end();
    return {run, font, color, ratio, image, QPoint(-margin, -margin - metrics.ascent())};
}

void HeadlineLabel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect area = contentsRect();
    const int baseline = area.top() + (area.height() + fontMetrics().ascent() - fontMetrics().descent()) / 2;
    // Whole logical pixels are whole device pixels only at an integral ratio: only then is a copy exact.
    const qreal ratio = devicePixelRatioF();
    const bool integral = ratio == std::round(ratio);
    std::vector<Drawn> drawn;
    drawn.reserve(std::size_t(m_runs.size()));
    int x = area.left();
    for (qsizetype i = 0; i < m_runs.size(); ++i) {
        if (x > area.right())
            break;  // the rest is cut at the end, as a label that does not fit
        const Run &run = m_runs.at(i);
        const QFont f = runFont(run);
        const QRgb color = run.alert ? kAlertColor : palette().color(foregroundRole()).rgba();
        const auto same = [&](const Drawn &d) {
            return d.run == run && d.color == color && d.pixelRatio == ratio && d.font == f;
        };
        // Black text only: other colours, drawn into an image and composited, are a level off here and
        // there (the alert run, a dark theme's light text).
        const bool cache = integral && color == 0xff000000u;
        const auto last = cache ? std::find_if(m_drawn.begin(), m_drawn.end(), same) : m_drawn.end();
        if (last != m_drawn.end()) {
            // Drawn unchanged a second time: from now on from an image, at the same pixels.
            if (last->image.isNull())
                *last = renderRun(run, f, color);
            painter.drawImage(QPoint(x, baseline) + last->offset, last->image);
            drawn.push_back(std::move(*last));
            m_drawn.erase(last);
        } else {
            painter.setFont(f);
            painter.setPen(QColor::fromRgba(color));
            painter.drawText(x, baseline, run.text);
            drawn.push_back({run, f, color, ratio, {}, {}});
        }
        x += m_advances.at(std::size_t(i));
    }
    m_drawn = std::move(drawn);
}

void HeadlineLabel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        measure();
}

} // namespace mlastudio::ui
