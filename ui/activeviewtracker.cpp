// SPDX-License-Identifier: MIT
#include "activeviewtracker.h"

#include "views/plotview.h"

#include <qcustomplot.h>

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QEvent>
#include <QMainWindow>
#include <QTimer>

namespace mlastudio::ui {

ActiveViewTracker::ActiveViewTracker(QMainWindow *window, const QList<QDockWidget *> &docks, const QList<PlotView *> &views)
    : QObject(window)
    , m_window(window)
    , m_docks(docks)
    , m_views(views)
{
    m_active = m_views.value(0);
    m_window->installEventFilter(this);
    for (QDockWidget *dock : docks) {
        PlotView *view = viewOf(dock);
        if (!view)
            continue;
        dock->installEventFilter(this);
        view->installEventFilter(this);
        view->plot()->installEventFilter(this);
        // A tab brought to the front counts as raised (not the docks appearing with the window).
        connect(dock, &QDockWidget::visibilityChanged, this, [this, view](bool visible) {
            if (visible && m_trackRaise)
                setActiveView(view);
        });
    }
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) {
        if (PlotView *view = viewOf(now))
            setActiveView(view);
    });
}

PlotView *ActiveViewTracker::viewOf(QObject *object) const
{
    for (QObject *o = object; o; o = o->parent()) {
        if (o == m_window)
            return nullptr;
        for (qsizetype i = 0; i < m_docks.size(); ++i) {
            QDockWidget *dock = m_docks.at(i);
            if (o == dock || o == dock->widget()) {
                for (PlotView *view : m_views)
                    if (view == dock->widget())
                        return view;
                return nullptr;
            }
        }
    }
    return nullptr;
}

PlotView *ActiveViewTracker::activeView() const
{
    // A closed dock is no longer the one the user works with.
    auto open = [this](PlotView *view) {
        for (QDockWidget *dock : m_docks)
            if (dock->widget() == view)
                return dock->toggleViewAction()->isChecked();
        return false;
    };
    if (m_active && open(m_active))
        return m_active;
    for (PlotView *view : m_views)
        if (open(view))
            return view;
    return m_views.value(0);
}

void ActiveViewTracker::setActiveView(PlotView *view)
{
    if (view && m_views.contains(view))
        m_active = view;
}

bool ActiveViewTracker::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::Show:
        if (watched == m_window)
            QTimer::singleShot(0, this, [this] { m_trackRaise = m_window->isVisible(); });
        break;
    case QEvent::Hide:
        if (watched == m_window)
            m_trackRaise = false;
        break;
    case QEvent::MouseButtonPress:
    case QEvent::FocusIn:
        if (PlotView *view = viewOf(watched))
            setActiveView(view);
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace mlastudio::ui
