// SPDX-License-Identifier: MIT
#include "headlinelabel.h"

#include <QEvent>
#include <QFontMetrics>
#include <QPainter>

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
    m_runs = std::move(runs);
    m_text.clear();
    for (const Run &run : std::as_const(m_runs))
        m_text += run.text;
    setAccessibleName(m_text);
    measure();
    update();
}

QFont HeadlineLabel::runFont(const Run &run) const
{
    QFont f = font();
    f.setBold(run.bold);
    return f;
}

void HeadlineLabel::measure()
{
    int width = 0;
    int height = fontMetrics().height();
    for (const Run &run : std::as_const(m_runs)) {
        const QFontMetrics metrics(runFont(run));
        width += metrics.horizontalAdvance(run.text);
        height = std::max(height, metrics.height());
    }
    const QMargins m = contentsMargins();
    const QSize hint(width + m.left() + m.right(), height + m.top() + m.bottom());
    if (hint != m_hint) {
        m_hint = hint;
        updateGeometry();
    }
}

void HeadlineLabel::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect area = contentsRect();
    const int baseline = area.top() + (area.height() + fontMetrics().ascent() - fontMetrics().descent()) / 2;
    int x = area.left();
    for (const Run &run : std::as_const(m_runs)) {
        if (x > area.right())
            break;  // the rest is cut at the end, as a label that does not fit
        const QFont f = runFont(run);
        painter.setFont(f);
        painter.setPen(run.alert ? QColor::fromRgba(kAlertColor) : palette().color(foregroundRole()));
        painter.drawText(x, baseline, run.text);
        x += QFontMetrics(f).horizontalAdvance(run.text);
    }
}

void HeadlineLabel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        measure();
}

} // namespace mlastudio::ui
