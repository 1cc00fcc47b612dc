// SPDX-License-Identifier: MIT
#include "scenario.h"
#include "views/energyview.h"
#include "views/memoryview.h"
#include "views/plotexporter.h"
#include "views/rooflineview.h"
#include "views/schememapview.h"
#include "views/throughputview.h"

#include <qcustomplot.h>

#include <nlohmann/json.hpp>

#include <QDir>
#include <QFile>
#include <QImage>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <QtTest>

#include <memory>

using namespace mlastudio;
using namespace mlastudio::ui;

class TestExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void pdf();
    void svg();
    void png();
    void pngPresetsAndCustom();
    void allViewsExport();
    void themeRestored();
    void unwritablePath();
    void unknownFormat();
    void dataCsvAndJson();

private:
    std::unique_ptr<Scenario> m_scenario;
    std::unique_ptr<RooflineView> m_view;
    QTemporaryDir m_dir;
};

void TestExport::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_scenario = std::make_unique<Scenario>();
    m_view = std::make_unique<RooflineView>(m_scenario.get());
    m_view->resize(800, 500);
}

void TestExport::pdf()
{
    const QString path = m_dir.filePath(QStringLiteral("roofline.pdf"));
    ExportOptions o;
    QCOMPARE(PlotExporter::exportPlot(m_view.get(), path, o), QString());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    QVERIFY(bytes.startsWith("%PDF"));
    QVERIFY(bytes.size() > 1024);
    // 3.5 in × 2.6 in = 252 × 187.2 pt.
    QVERIFY(bytes.contains("/MediaBox [0 0 252"));
}

void TestExport::svg()
{
    const QString path = m_dir.filePath(QStringLiteral("roofline.svg"));
    ExportOptions o;
    o.sizePreset = QStringLiteral("double-column");
    QCOMPARE(PlotExporter::exportPlot(m_view.get(), path, o), QString());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    bool root = false;
    int texts = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (!root) {
                QCOMPARE(xml.name(), QStringLiteral("svg"));
                root = true;
            }
            if (xml.name() == QStringLiteral("text"))
                ++texts;
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(root);
    QVERIFY(texts > 5);
}

void TestExport::png()
{
    const QString path = m_dir.filePath(QStringLiteral("roofline.png"));
    ExportOptions o; // single column at 300 dpi
    QCOMPARE(PlotExporter::exportPlot(m_view.get(), path, o), QString());
    QImage img(path);
    QVERIFY(!img.isNull());
    QCOMPARE(img.width(), 1050);
    QCOMPARE(img.height(), 780);
    QCOMPARE(qRound(img.dotsPerMeterX() * 0.0254), 300);
    // Not blank: more than a few distinct colours.
    QSet<QRgb> colours;
    for (int y = 0; y < img.height(); y += 7)
        for (int x = 0; x < img.width(); x += 7)
            colours.insert(img.pixel(x, y));
    QVERIFY(colours.size() > 10);
}

void TestExport::pngPresetsAndCustom()
{
    ExportOptions o;
    o.sizePreset = QStringLiteral("slide");
    o.dpi = 100;
    QCOMPARE(o.resolvedSizePixels(), QSize(1333, 750));
    const QString path = m_dir.filePath(QStringLiteral("slide.png"));
    QCOMPARE(PlotExporter::exportPlot(m_view.get(), path, o), QString());
    QCOMPARE(QImage(path).size(), QSize(1333, 750));

    o.sizePreset = QStringLiteral("custom");
    o.sizePixels = QSize(640, 480);
    o.dpi = 150;
    const QString custom = m_dir.filePath(QStringLiteral("custom.png"));
    QCOMPARE(PlotExporter::exportPlot(m_view.get(), custom, o), QString());
    QCOMPARE(QImage(custom).size(), QSize(640, 480));
}

void TestExport::allViewsExport()
{
    ThroughputView t(m_scenario.get());
    EnergyView e(m_scenario.get());
    SchemeMapView s(m_scenario.get());
    MemoryView m(m_scenario.get());
    for (PlotView *v : std::initializer_list<PlotView *>{&t, &e, &s, &m}) {
        for (const char *suffix : {".png", ".pdf", ".svg"}) {
            const QString path = m_dir.filePath(v->viewId() + QString::fromLatin1(suffix));
            ExportOptions o;
            o.sizePreset = QStringLiteral("double-column");
            o.dpi = 150;
            QCOMPARE(PlotExporter::exportPlot(v, path, o), QString());
            QVERIFY(QFileInfo(path).size() > 1024);
        }
    }
}

void TestExport::themeRestored()
{
    const FigureTheme before = m_view->theme();
    ExportOptions o;
    o.theme = ThemeId::Slides;
    QCOMPARE(PlotExporter::exportPlot(m_view.get(), m_dir.filePath(QStringLiteral("slides.png")), o), QString());
    QCOMPARE(m_view->theme().id, before.id);
    QCOMPARE(m_view->plot()->xAxis->tickLabelFont().pointSizeF(), before.fontPointSize);
}

void TestExport::unwritablePath()
{
    const QString missing = m_dir.filePath(QStringLiteral("no/such/dir/figure.pdf"));
    const QString err = PlotExporter::exportPlot(m_view.get(), missing, ExportOptions{});
    QVERIFY(!err.isEmpty());
    QVERIFY2(err.contains(QDir::toNativeSeparators(missing)), qPrintable(err));
    QVERIFY(!QFile::exists(missing));

    // A path that is a directory: cannot be replaced, and nothing is left behind.
    const QString sub = m_dir.filePath(QStringLiteral("clean"));
    QVERIFY(QDir().mkpath(sub + QStringLiteral("/figure.png")));
    const QString err2 = PlotExporter::exportPlot(m_view.get(), sub + QStringLiteral("/figure.png"), ExportOptions{});
    QVERIFY(!err2.isEmpty());
    QCOMPARE(QDir(sub).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden), QStringList{QStringLiteral("figure.png")});

    const QString err3 = PlotExporter::exportData(m_view.get(), missing.chopped(3) + QStringLiteral("csv"));
    QVERIFY(!err3.isEmpty());
}

void TestExport::unknownFormat()
{
    const QString path = m_dir.filePath(QStringLiteral("figure.bmpx"));
    QVERIFY(!PlotExporter::exportPlot(m_view.get(), path, ExportOptions{}).isEmpty());
    QVERIFY(!QFile::exists(path));
}

void TestExport::dataCsvAndJson()
{
    const QString csv = m_dir.filePath(QStringLiteral("roofline.csv"));
    QCOMPARE(PlotExporter::exportData(m_view.get(), csv), QString());
    QFile f(csv);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().split('\n');
    QVERIFY(lines.size() > 4);
    QVERIFY(lines[0].startsWith("# scenario: {"));
    const auto scenario = nlohmann::json::parse(lines[0].mid(12).toStdString());
    QVERIFY(scenario.contains("schema"));
    QVERIFY(lines.contains(QByteArray("series,x,y")));

    const QString json = m_dir.filePath(QStringLiteral("roofline.json"));
    QCOMPARE(PlotExporter::exportData(m_view.get(), json), QString());
    QFile j(json);
    QVERIFY(j.open(QIODevice::ReadOnly));
    const auto doc = nlohmann::json::parse(j.readAll().toStdString());
    QCOMPARE(doc.at("view").get<std::string>(), std::string("roofline"));
    QVERIFY(doc.at("scenario").is_object());
    QVERIFY(doc.at("data").is_array());
    QVERIFY(!doc.at("data").empty());
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"
