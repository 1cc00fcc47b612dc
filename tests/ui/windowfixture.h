// SPDX-License-Identifier: MIT
#pragma once

#include "mainwindow.h"
#include "scenario.h"

#include <QMessageBox>
#include <QStringList>

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
