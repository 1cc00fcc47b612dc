// SPDX-License-Identifier: MIT
#pragma once

#include "mlastudio/core/fields.h"

#include <QObject>
#include <QPointer>

class QTimer;
class QWidget;

namespace mlastudio::ui {

class Scenario;

/**
 * Play: animates one field of a Scenario over its whole range, frame by frame on a QTimer, at the
 * positions of its slider (log-spaced for logarithmic fields, whole numbers for integer ones), so a
 * sweep can be shown live. The frames merge into one undo step. Any key press, mouse press or wheel
 * turn of the user (outside the play control itself) stops it.
 */
class FieldPlayer final : public QObject
{
    Q_OBJECT

public:
    explicit FieldPlayer(Scenario *scenario, QObject *parent = nullptr);
    ~FieldPlayer() override;

    /** Plays on \p scenario from now on (stops first). */
    void setScenario(Scenario *scenario);
    core::Field field() const { return m_field; }
    void setField(core::Field field);
    /** Number of frames from the minimum to the maximum (at least 2; default 60). */
    int frames() const { return m_frames; }
    void setFrames(int frames);
    /** Time between frames in milliseconds (default 50). */
    void setInterval(int ms);
    /** Presses, keys and wheel turns on \p widget (e.g. the Play button) do not stop playing. */
    void setControl(QWidget *widget) { m_control = widget; }
    bool isPlaying() const;

    /** \return the SI value of frame \p frame of \p frames for \p field (the slider's spacing). */
    static double frameValue(core::Field field, int frame, int frames);

public Q_SLOTS:
    void start();
    void stop();
    void toggle();

Q_SIGNALS:
    void playingChanged(bool playing);
    /** Emitted after each frame is applied, with its 0-based index. */
    void frameShown(int frame);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void nextFrame();

    QPointer<Scenario> m_scenario;
    QTimer *m_timer = nullptr;
    QPointer<QWidget> m_control;
    core::Field m_field = core::Field::KvLength;
    int m_frames = 60;
    int m_frame = 0;
};

} // namespace mlastudio::ui
