// SPDX-License-Identifier: MIT
#pragma once

#include "mainwindow.h"
#include "scenario.h"

#include <QMessageBox>
#include <QSlider>
#include <QStringList>
#include <QStyle>
#include <QStyleOptionSlider>

// A shown main window whose prompts answer "Discard" and whose warnings are collected, not shown.
struct WindowFixture {
    mlastudio::ui::Scenario scenario;
    mlastudio::ui::MainWindow window{&scenario};
    QStringList warnings;
    WindowFixture()
    {
        window.setConfirmDiscard([] { return QMessageBox::Discard; });
        window.setWarningHandler([this](const QString &, const QString &text) { warnings << text; });
        window.show();
    }
};

/** \return the centre of \p slider's handle, where a user grabs it (as QSlider::initStyleOption). */
inline QPoint handleCentre(const QSlider *slider)
{
    QStyleOptionSlider opt;
    opt.initFrom(slider);
    opt.orientation = slider->orientation();
    opt.minimum = slider->minimum();
    opt.maximum = slider->maximum();
    opt.sliderPosition = slider->sliderPosition();
    opt.sliderValue = slider->value();
    opt.singleStep = slider->singleStep();
    opt.pageStep = slider->pageStep();
    opt.upsideDown = slider->orientation() == Qt::Horizontal && slider->layoutDirection() == Qt::RightToLeft;
    if (slider->orientation() == Qt::Horizontal)
        opt.state |= QStyle::State_Horizontal;
    opt.subControls = QStyle::SC_All;
    return slider->style()->subControlRect(QStyle::CC_Slider, &opt, QStyle::SC_SliderHandle, slider).center();
}
