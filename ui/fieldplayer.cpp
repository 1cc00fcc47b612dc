// SPDX-License-Identifier: MIT
#include "fieldplayer.h"

#include "controlpanel.h"
#include "scenario.h"

#include <QCoreApplication>
#include <QEvent>
#include <QTimer>
#include <QWidget>

#include <algorithm>

namespace mlastudio::ui {

FieldPlayer::FieldPlayer(Scenario *scenario, QObject *parent)
    : QObject(parent)
    , m_scenario(scenario)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(50);
    connect(m_timer, &QTimer::timeout, this, &FieldPlayer::nextFrame);
}

FieldPlayer::~FieldPlayer()
{
    stop();
}

void FieldPlayer::setScenario(Scenario *scenario)
{
    stop();
    m_scenario = scenario;
}

void FieldPlayer::setField(core::Field field)
{
    stop();
    m_field = field;
}

void FieldPlayer::setFrames(int frames)
{
    m_frames = std::max(frames, 2);
}

void FieldPlayer::setInterval(int ms)
{
    m_timer->setInterval(std::max(ms, 0));
}

bool FieldPlayer::isPlaying() const
{
    return m_timer->isActive();
}

double FieldPlayer::frameValue(core::Field field, int frame, int frames)
{
    const core::FieldInfo &info = core::fieldInfo(field);
    const int position = int(std::lround(double(std::clamp(frame, 0, frames - 1)) * ControlPanel::kSliderSteps / (frames - 1)));
    return ControlPanel::sliderValue(info, position) * info.displayScale;
}

void FieldPlayer::start()
{
    if (isPlaying() || !m_scenario)
        return;
    m_scenario->endMerge();  // a separate undo step from the edits before
    m_frame = 0;
    qApp->installEventFilter(this);
    m_timer->start();
    emit playingChanged(true);
    nextFrame();
}

void FieldPlayer::stop()
{
    if (!isPlaying())
        return;
    m_timer->stop();
    qApp->removeEventFilter(this);
    if (m_scenario)
        m_scenario->endMerge();
    emit playingChanged(false);
}

void FieldPlayer::toggle()
{
    if (isPlaying())
        stop();
    else
        start();
}

void FieldPlayer::nextFrame()
{
    if (!m_scenario || m_frame >= m_frames) {
        stop();
        return;
    }
    // Consecutive changes of one field merge into a single undo step until stop() ends the merge.
    m_scenario->setField(m_field, frameValue(m_field, m_frame, m_frames));
    emit frameShown(m_frame);
    if (++m_frame >= m_frames)
        stop();
}

bool FieldPlayer::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::Wheel: {
        const auto *w = qobject_cast<QWidget *>(watched);
        const bool onControl = m_control && w && (w == m_control || m_control->isAncestorOf(w));
        // Events reach the filter once per receiver up the chain: only widgets count.
        if (w && !onControl)
            stop();
        break;
    }
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace mlastudio::ui
