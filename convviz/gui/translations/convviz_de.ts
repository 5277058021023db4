<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ActivationView</name>
    <message>
        <source>dropout {0} %&lt;br&gt;passes all at inference</source>
        <translation>Dropout {0} %&lt;br&gt;lässt bei der Vorhersage alles durch</translation>
    </message>
    <message>
        <source>{0} units</source>
        <translation>{0} Einheiten</translation>
    </message>
    <message>
        <source>{0} · map {1} · row {2}, col {3}</source>
        <translation>{0} · Karte {1} · Zeile {2}, Spalte {3}</translation>
    </message>
    <message>
        <source>{0} · class {1}</source>
        <translation>{0} · Klasse {1}</translation>
    </message>
    <message>
        <source>{0} · unit {1}</source>
        <translation>{0} · Einheit {1}</translation>
    </message>
    <message>
        <source>{0} · value {1}</source>
        <translation>{0} · Wert {1}</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>The trained model (assets/models/lenet5.npz) is missing</source>
        <translation>Das trainierte Modell (assets/models/lenet5.npz) fehlt</translation>
    </message>
    <message>
        <source>LeNet-5 trained on MNIST</source>
        <translation>LeNet-5, auf MNIST trainiert</translation>
    </message>
    <message>
        <source>The trained model could not be read ({0})</source>
        <translation>Das trainierte Modell konnte nicht gelesen werden ({0})</translation>
    </message>
    <message>
        <source>untrained LeNet-5 (random weights)</source>
        <translation>untrainiertes LeNet-5 (zufällige Gewichte)</translation>
    </message>
    <message>
        <source>{0}, so the network has random weights and its predictions are guesses.</source>
        <translation>{0}, daher hat das Netz zufällige Gewichte und seine Vorhersagen sind geraten.</translation>
    </message>
</context>
<context>
    <name>BackwardView</name>
    <message>
        <source>kernel gradient dL/dW</source>
        <translation>Kerngradient dL/dW</translation>
    </message>
    <message>
        <source>input gradient dL/dX</source>
        <translation>Eingabegradient dL/dX</translation>
    </message>
    <message>
        <source>all ones</source>
        <translation>lauter Einsen</translation>
    </message>
    <message>
        <source>random (seed 0)</source>
        <translation>zufällig (Seed 0)</translation>
    </message>
    <message>
        <source>typed in the grid</source>
        <translation>im Raster eingetippt</translation>
    </message>
    <message>
        <source>the network&apos;s loss</source>
        <translation>Verlust des Netzes</translation>
    </message>
    <message>
        <source>the prediction</source>
        <translation>die Vorhersage</translation>
    </message>
    <message>
        <source>|◀ Start</source>
        <translation>|◀ Anfang</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ Zurück</translation>
    </message>
    <message>
        <source>Step ▶</source>
        <translation>Schritt ▶</translation>
    </message>
    <message>
        <source>End ▶|</source>
        <translation>Ende ▶|</translation>
    </message>
    <message>
        <source>Which gradient to compute, one cell per step</source>
        <translation>Welcher Gradient berechnet wird, eine Zelle pro Schritt</translation>
    </message>
    <message>
        <source>dL/dY, the gradient arriving at this filter&apos;s output from the layers above: all ones, random numbers, numbers you type, or the network&apos;s own for the current drawing and a label</source>
        <translation>dL/dY, der Gradient, der von den Schichten darüber am Ausgang dieses Filters ankommt: lauter Einsen, Zufallszahlen, eigene Zahlen oder der des Netzes selbst für die aktuelle Zeichnung und ein Label</translation>
    </message>
    <message>
        <source>dL/dY for each output cell (channel 0): type any number</source>
        <translation>dL/dY für jede Ausgabezelle (Kanal 0): beliebige Zahl eintippen</translation>
    </message>
    <message>
        <source>The label the loss compares the network&apos;s answer with</source>
        <translation>Das Label, mit dem der Verlust die Antwort des Netzes vergleicht</translation>
    </message>
    <message>
        <source>Learning rate η of the update step w ← w − η·g</source>
        <translation>Lernrate η des Aktualisierungsschritts w ← w − η·g</translation>
    </message>
    <message>
        <source>Step through</source>
        <translation>Schritte durch</translation>
    </message>
    <message>
        <source>dL/dY from</source>
        <translation>dL/dY aus</translation>
    </message>
    <message>
        <source>label</source>
        <translation>Label</translation>
    </message>
    <message>
        <source>The forward walk is off.</source>
        <translation>Der Vorwärtsdurchlauf ist aus.</translation>
    </message>
    <message>
        <source>dL/dY = 1 in every output cell: each cell&apos;s output counts once in the loss.</source>
        <translation>dL/dY = 1 in jeder Ausgabezelle: jede Zelle zählt einmal im Verlust.</translation>
    </message>
    <message>
        <source>dL/dY: random numbers (normal, seed 0), as if the layers above sent them.</source>
        <translation>dL/dY: Zufallszahlen (normalverteilt, Seed 0), als kämen sie von den Schichten darüber.</translation>
    </message>
    <message>
        <source>dL/dY: the numbers in the grid below (type to change them; every channel gets the same).</source>
        <translation>dL/dY: die Zahlen im Raster unten (zum Ändern eintippen; jeder Kanal erhält dieselben).</translation>
    </message>
    <message>
        <source>The network&apos;s loss gives dL/dY for a learned filter of its first layer: choose a kernel such as C1 #0, or take all-ones or random dL/dY.</source>
        <translation>Der Verlust des Netzes liefert dL/dY für einen gelernten Filter seiner ersten Schicht: Wähle einen Kern wie C1 #0, oder nimm dL/dY aus lauter Einsen oder Zufallszahlen.</translation>
    </message>
    <message>
        <source>dL/dY: the gradient of the cross-entropy loss ({0}) of the current drawing labelled {1}, at the output of {2}, from the network&apos;s own backward pass. The walk is {3}&apos;s as the network computes it: padding {4}, stride {5}, {6}, bias {7} (the Forward tab&apos;s settings do not apply here).</source>
        <translation>dL/dY: der Gradient des Kreuzentropie-Verlusts ({0}) der aktuellen Zeichnung mit Label {1}, am Ausgang von {2}, aus der Rückwärtsrechnung des Netzes selbst. Der Durchlauf ist der von {3}, so wie das Netz ihn rechnet: Auffüllung {4}, Schrittweite {5}, {6}, Bias {7} (die Einstellungen des Vorwärts-Tabs gelten hier nicht).</translation>
    </message>
    <message>
        <source>dL/dY cannot be computed: {0}</source>
        <translation>dL/dY lässt sich nicht berechnen: {0}</translation>
    </message>
    <message>
        <source>dL/dz = dL/dy (no activation)</source>
        <translation>dL/dz = dL/dy (keine Aktivierung)</translation>
    </message>
    <message>
        <source>dL/dy (channel 0)</source>
        <translation>dL/dy (Kanal 0)</translation>
    </message>
    <message>
        <source>the current drawing</source>
        <translation>die aktuelle Zeichnung</translation>
    </message>
    <message>
        <source>Input x̃: {0}</source>
        <translation>Eingabe x̃: {0}</translation>
    </message>
    <message>
        <source>Kernel w</source>
        <translation>Kern w</translation>
    </message>
    <message>
        <source>Input x: {0}</source>
        <translation>Eingabe x: {0}</translation>
    </message>
    <message>
        <source>Backward pass</source>
        <translation>Rückwärtsdurchlauf</translation>
    </message>
    <message>
        <source>Nothing to step backwards yet.</source>
        <translation>Noch nichts, das sich rückwärts durchlaufen ließe.</translation>
    </message>
    <message>
        <source>Stepping is off: see the message above</source>
        <translation>Schrittweises Durchlaufen ist aus: siehe die Meldung oben</translation>
    </message>
    <message>
        <source>Step {0} of {1} · tap ({2}, {3})</source>
        <translation>Schritt {0} von {1} · Kernposition ({2}, {3})</translation>
    </message>
    <message>
        <source>Step {0} of {1} · pixel ({2}, {3})</source>
        <translation>Schritt {0} von {1} · Pixel ({2}, {3})</translation>
    </message>
    <message>
        <source>Backward through {0}: {1}, one tap per step</source>
        <translation>Rückwärts durch {0}: {1}, eine Kernposition pro Schritt</translation>
    </message>
    <message>
        <source>Backward through {0}: {1}, one pixel per step</source>
        <translation>Rückwärts durch {0}: {1}, ein Pixel pro Schritt</translation>
    </message>
    <message>
        <source>the kernel</source>
        <translation>den Kern</translation>
    </message>
    <message>
        <source>Backward through pooling: max pooling routes each gradient to its winner</source>
        <translation>Rückwärts durch das Pooling: Max-Pooling leitet jeden Gradienten an seinen Gewinner weiter</translation>
    </message>
    <message>
        <source>Backward through pooling: average pooling shares each gradient equally</source>
        <translation>Rückwärts durch das Pooling: Mittelwert-Pooling teilt jeden Gradienten gleichmäßig auf</translation>
    </message>
    <message>
        <source>{0} (channel 0), filled as the walk goes</source>
        <translation>{0} (Kanal 0), füllt sich mit dem Durchlauf</translation>
    </message>
</context>
<context>
    <name>ColourBar</name>
    <message>
        <source>blue negative · white zero · red positive</source>
        <translation>blau negativ · weiß null · rot positiv</translation>
    </message>
    <message>
        <source>Colours stand for numbers: {0} at the left end, {1} in the middle, {2} at the right end ({3})</source>
        <translation>Farben stehen für Zahlen: {0} am linken Ende, {1} in der Mitte, {2} am rechten Ende ({3})</translation>
    </message>
</context>
<context>
    <name>DesignTable</name>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Memory
per image</source>
        <translation>Speicher
pro Bild</translation>
    </message>
    <message>
        <source>Output size, or the problem</source>
        <translation>Ausgabegröße oder das Problem</translation>
    </message>
    <message>
        <source>unknown until the layer above works</source>
        <translation>unbekannt, bis die Schicht darüber funktioniert</translation>
    </message>
    <message>
        <source>height and width: {0}</source>
        <translation>Höhe und Breite: {0}</translation>
    </message>
</context>
<context>
    <name>DigitSession</name>
    <message>
        <source>the test images on hand are MNIST&apos;s 28×28 digits, and this model reads {0}</source>
        <translation>die vorhandenen Testbilder sind die 28×28-Ziffern von MNIST, und dieses Modell liest {0}</translation>
    </message>
</context>
<context>
    <name>DrawTab</name>
    <message>
        <source>Draw with mouse or pen · drop, open or paste a picture</source>
        <translation>Mit Maus oder Stift zeichnen · Bild ablegen, öffnen oder einfügen</translation>
    </message>
    <message>
        <source>Open, drop or paste a picture · or take a test picture</source>
        <translation>Bild öffnen, ablegen oder einfügen · oder ein Testbild nehmen</translation>
    </message>
    <message>
        <source>28×28, made as MNIST: cropped, scaled into 20×20, centred by mass</source>
        <translation>28×28, wie bei MNIST: zugeschnitten, auf 20×20 skaliert, nach Schwerpunkt zentriert</translation>
    </message>
    <message>
        <source>Kernels</source>
        <translation>Kerne</translation>
    </message>
    <message>
        <source>The learned kernels of the convolutions</source>
        <translation>Die gelernten Kerne der Faltungen</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Schichten</translation>
    </message>
    <message>
        <source>Every layer&apos;s output shape, parameters and activation memory</source>
        <translation>Ausgabeform, Parameter und Aktivierungsspeicher jeder Schicht</translation>
    </message>
    <message>
        <source>Why?</source>
        <translation>Warum?</translation>
    </message>
    <message>
        <source>Why this prediction? Saliency, occlusion and Grad-CAM maps of any class</source>
        <translation>Warum diese Vorhersage? Saliency-, Verdeckungs- und Grad-CAM-Karten für jede Klasse</translation>
    </message>
    <message>
        <source>What if?</source>
        <translation>Was, wenn?</translation>
    </message>
    <message>
        <source>Switch filters off, edit a weight, shift the input, change the temperature</source>
        <translation>Filter abschalten, ein Gewicht ändern, die Eingabe verschieben, die Temperatur ändern</translation>
    </message>
    <message>
        <source>Top patches</source>
        <translation>Ausschnitte</translation>
    </message>
    <message>
        <source>The test digits that excite each filter most</source>
        <translation>Die Testziffern, die jeden Filter am stärksten anregen</translation>
    </message>
    <message>
        <source>MNIST test digits are not loaded yet.</source>
        <translation>Die MNIST-Testziffern sind noch nicht geladen.</translation>
    </message>
    <message>
        <source>&amp;Undo stroke</source>
        <translation>&amp;Strich rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo stroke</source>
        <translation>Strich &amp;wiederherstellen</translation>
    </message>
    <message>
        <source>&amp;Clear canvas</source>
        <translation>Zeichenfläche &amp;leeren</translation>
    </message>
    <message>
        <source>&amp;Eraser</source>
        <translation>&amp;Radierer</translation>
    </message>
    <message>
        <source>&amp;Thinner brush</source>
        <translation>Pinsel &amp;dünner</translation>
    </message>
    <message>
        <source>T&amp;hicker brush</source>
        <translation>Pinsel di&amp;cker</translation>
    </message>
    <message>
        <source>↶ Undo</source>
        <translation>↶ Rückgängig</translation>
    </message>
    <message>
        <source>↷ Redo</source>
        <translation>↷ Wiederholen</translation>
    </message>
    <message>
        <source>✕ Clear</source>
        <translation>✕ Leeren</translation>
    </message>
    <message>
        <source>✎ Pen</source>
        <translation>✎ Stift</translation>
    </message>
    <message>
        <source>⌫ Eraser</source>
        <translation>⌫ Radierer</translation>
    </message>
    <message>
        <source>Draw white ink, as MNIST digits are</source>
        <translation>Mit weißer Tinte zeichnen, wie MNIST-Ziffern gezeichnet sind</translation>
    </message>
    <message>
        <source>Rub ink out (E)</source>
        <translation>Tinte wegradieren (E)</translation>
    </message>
    <message>
        <source>Brush thickness ([ and ])</source>
        <translation>Pinselstärke ([ und ])</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <source>MNIST test digit</source>
        <translation>MNIST-Testziffer</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <source>Open a picture file (Ctrl+O); dropping one onto the window works too</source>
        <translation>Eine Bilddatei öffnen (Strg+O); ein Bild aufs Fenster ziehen geht auch</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Paste the clipboard&apos;s picture (Ctrl+V)</source>
        <translation>Das Bild aus der Zwischenablage einfügen (Strg+V)</translation>
    </message>
    <message>
        <source>Test picture</source>
        <translation>Testbild</translation>
    </message>
    <message>
        <source>Show the network a test image of its dataset when one is loaded, else a picture painted into the app</source>
        <translation>Dem Netz ein Testbild aus seinem Datensatz zeigen, wenn einer geladen ist, sonst ein in die App gemaltes Bild</translation>
    </message>
    <message>
        <source>What the network sees</source>
        <translation>Was das Netz sieht</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Vorhersage</translation>
    </message>
    <message>
        <source>Inside the model</source>
        <translation>Im Inneren des Modells</translation>
    </message>
    <message>
        <source>Warming up: compiling the network&apos;s kernels…</source>
        <translation>Aufwärmen: Die Rechenkerne des Netzes werden kompiliert…</translation>
    </message>
    <message>
        <source>Layer activations</source>
        <translation>Aktivierungen der Schichten</translation>
    </message>
    <message>
        <source>Blue negative · white zero · red positive. Hover to read a value; click a unit to see which input pixels it depends on.</source>
        <translation>Blau negativ · Weiß null · Rot positiv. Zeig mit der Maus auf einen Wert, um ihn abzulesen; klick auf eine Einheit, um zu sehen, von welchen Eingabepixeln sie abhängt.</translation>
    </message>
    <message>
        <source>{0} test image #{1}, labelled {2}</source>
        <translation>{0}-Testbild Nr. {1}, Label {2}</translation>
    </message>
    <message>
        <source>Test picture: {0}</source>
        <translation>Testbild: {0}</translation>
    </message>
    <message>
        <source>Show a digit from the MNIST test set</source>
        <translation>Eine Ziffer aus dem MNIST-Testdatensatz zeigen</translation>
    </message>
    <message>
        <source>MNIST test digit #{0}, labelled {1}</source>
        <translation>MNIST-Testziffer Nr. {0}, Label {1}</translation>
    </message>
    <message>
        <source>Your digit</source>
        <translation>Deine Ziffer</translation>
    </message>
    <message>
        <source>Your picture</source>
        <translation>Dein Bild</translation>
    </message>
    <message>
        <source>{0}×{1}: the whole picture resized, as the network was trained</source>
        <translation>{0}×{1}: das ganze Bild skaliert, wie beim Training des Netzes</translation>
    </message>
    <message>
        <source>{0}×{1} colour: the whole picture resized, as the network was trained</source>
        <translation>{0}×{1} in Farbe: das ganze Bild skaliert, wie beim Training des Netzes</translation>
    </message>
    <message>
        <source>(part of it is padding)</source>
        <translation>(ein Teil davon ist Auffüllung)</translation>
    </message>
    <message>
        <source>sees input rows {0}–{1},&lt;br&gt;cols {2}–{3}: {4}×{5} pixels</source>
        <translation>sieht die Eingabezeilen {0}–{1},&lt;br&gt;Spalten {2}–{3}: {4}×{5} Pixel</translation>
    </message>
</context>
<context>
    <name>ErrorLog</name>
    <message>
        <source>Something went wrong inside convviz ({0}: {1}). The details are in the log, in {2} (Help → Open log folder).</source>
        <translation>In convviz ist etwas schiefgegangen ({0}: {1}). Die Einzelheiten stehen im Log, in {2} (Hilfe → Log-Ordner öffnen).</translation>
    </message>
</context>
<context>
    <name>FilterPatchesView</name>
    <message>
        <source>The filter whose strongest responses are shown</source>
        <translation>Der Filter, dessen stärkste Antworten gezeigt werden</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>Filter</translation>
    </message>
    <message>
        <source>The weights changed: the top patches follow once they have been still for a moment.</source>
        <translation>Die Gewichte haben sich geändert: Die Top-Ausschnitte folgen, sobald sie einen Moment still stehen.</translation>
    </message>
    <message>
        <source>Load MNIST to see the test digits that excite each filter most: the Train tab&apos;s Start offers to download it or find its folder.</source>
        <translation>Lade MNIST, um die Testziffern zu sehen, die jeden Filter am stärksten anregen: »Start« im Tab Training bietet an, es herunterzuladen oder seinen Ordner zu suchen.</translation>
    </message>
    <message>
        <source>This model has no convolution layer with maps to look at.</source>
        <translation>Dieses Modell hat keine Faltungsschicht mit Karten zum Ansehen.</translation>
    </message>
    <message>
        <source>No top patches: {0}.</source>
        <translation>Keine Top-Ausschnitte: {0}.</translation>
    </message>
    <message>
        <source>Running {0} test digits up to {1}…</source>
        <translation>{0} Testziffern laufen bis {1}…</translation>
    </message>
    <message>
        <source>The top patches could not be computed: {0}</source>
        <translation>Die Top-Ausschnitte konnten nicht berechnet werden: {0}</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>Kern</translation>
    </message>
    <message>
        <source>Kernel, {0} inputs</source>
        <translation>Kern, {0} Eingaben</translation>
    </message>
    <message>
        <source>Mean map</source>
        <translation>Mittlere Karte</translation>
    </message>
    <message>
        <source>The {0} of {1} test digits where {2} #{3} responds most, each cropped to the {4}×{5} pixels its strongest unit sees; beside them the kernel (one grid per input map) and the filter&apos;s mean map over the test set (red positive, blue negative). Peak values, in order: {6}.</source>
        <translation>Die {0} von {1} Testziffern, auf die {2} #{3} am stärksten antwortet, jede auf die {4}×{5} Pixel zugeschnitten, die ihre stärkste Einheit sieht; daneben der Kern (ein Gitter pro Eingabekarte) und die mittlere Merkmalskarte des Filters über den Testdatensatz (Rot positiv, Blau negativ). Spitzenwerte der Reihe nach: {6}.</translation>
    </message>
    <message>
        <source>Top patches</source>
        <translation>Ausschnitte</translation>
    </message>
</context>
<context>
    <name>GifExportDialog</name>
    <message>
        <source>Export the walk as an animated GIF</source>
        <translation>Durchlauf als animiertes GIF exportieren</translation>
    </message>
    <message>
        <source> ms per step</source>
        <translation> ms pro Schritt</translation>
    </message>
    <message>
        <source>From step</source>
        <translation>Ab Schritt</translation>
    </message>
    <message>
        <source>To step</source>
        <translation>Bis Schritt</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>Breite</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Tempo</translation>
    </message>
</context>
<context>
    <name>HelpDialogs</name>
    <message>
        <source>Space</source>
        <translation>Leertaste</translation>
    </message>
    <message>
        <source>Play or pause the walk</source>
        <translation>Durchlauf abspielen oder anhalten</translation>
    </message>
    <message>
        <source>One step on / back</source>
        <translation>Einen Schritt vor / zurück</translation>
    </message>
    <message>
        <source>Home / End</source>
        <translation>Pos1 / Ende</translation>
    </message>
    <message>
        <source>First / last step</source>
        <translation>Erster / letzter Schritt</translation>
    </message>
    <message>
        <source>arrays</source>
        <translation>Arrays</translation>
    </message>
    <message>
        <source>the compiled kernels</source>
        <translation>die kompilierten Rechenkerne</translation>
    </message>
    <message>
        <source>Qt for Python, the window</source>
        <translation>Qt for Python, das Fenster</translation>
    </message>
    <message>
        <source>image grids and plots</source>
        <translation>Bildraster und Diagramme</translation>
    </message>
    <message>
        <source>the MNIST download</source>
        <translation>der MNIST-Download</translation>
    </message>
    <message>
        <source>the data and log folders</source>
        <translation>die Daten- und Log-Ordner</translation>
    </message>
    <message>
        <source>reading pictures, GIF export</source>
        <translation>Bilder lesen, GIF-Export</translation>
    </message>
    <message>
        <source>library</source>
        <translation>Bibliothek</translation>
    </message>
    <message>
        <source>version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <source>used for</source>
        <translation>verwendet für</translation>
    </message>
    <message>
        <source>You draw a digit; a digit network such as LeNet-5 reads it as a 28×28 picture, as the MNIST digits it learned from (a network of other pictures, colour ones for instance, takes a picture you open, resized as its training images were). Every layer&apos;s activations are drawn left to right, blue for negative, white for zero, red for positive. Click a unit to see which input pixels it depends on.</source>
        <translation>Du zeichnest eine Ziffer; ein Ziffernnetz wie LeNet-5 liest sie als 28×28-Bild, wie die MNIST-Ziffern, aus denen es gelernt hat (ein Netz für andere Bilder, etwa Farbbilder, nimmt ein Bild, das du öffnest, so verkleinert wie seine Trainingsbilder). Die Aktivierungen jeder Schicht sind von links nach rechts gezeichnet, blau für negativ, weiß für null, rot für positiv. Klicke auf eine Einheit, um zu sehen, von welchen Eingabepixeln sie abhängt.</translation>
    </message>
    <message>
        <source>Your digit or picture: draw, or open a picture</source>
        <translation>Deine Ziffer oder dein Bild: zeichnen oder ein Bild öffnen</translation>
    </message>
    <message>
        <source>What the network sees: its input&apos;s pixels</source>
        <translation>Was das Netz sieht: die Pixel seiner Eingabe</translation>
    </message>
    <message>
        <source>The network&apos;s answer and how sure it is</source>
        <translation>Die Antwort des Netzes und wie sicher es ist</translation>
    </message>
    <message>
        <source>The learned kernels and a table of the layers</source>
        <translation>Die gelernten Kerne und eine Tabelle der Schichten</translation>
    </message>
    <message>
        <source>Every layer&apos;s activations, with a colour bar</source>
        <translation>Die Aktivierungen jeder Schicht, mit Farbskala</translation>
    </message>
    <message>
        <source>One convolution or pooling, one receptive field at a time, as on the slides: the kernel lies over the input, each pixel is multiplied by the weight over it, the products are summed and the sum fills one output cell.</source>
        <translation>Eine Faltung oder ein Pooling, ein rezeptives Feld nach dem anderen, wie auf den Folien: Der Kern liegt über der Eingabe, jedes Pixel wird mit dem Gewicht darüber multipliziert, die Produkte werden summiert und die Summe füllt eine Ausgabezelle.</translation>
    </message>
    <message>
        <source>Input, operation, kernel, stride, padding, dilation</source>
        <translation>Eingabe, Operation, Kern, Schrittweite, Auffüllung, Dilatation</translation>
    </message>
    <message>
        <source>The input with the kernel over it</source>
        <translation>Die Eingabe mit dem Kern darüber</translation>
    </message>
    <message>
        <source>The kernel&apos;s weights</source>
        <translation>Die Gewichte des Kerns</translation>
    </message>
    <message>
        <source>The output, filled one cell per step</source>
        <translation>Die Ausgabe, eine Zelle pro Schritt gefüllt</translation>
    </message>
    <message>
        <source>The sum of this step, written out</source>
        <translation>Die Summe dieses Schritts, ausgeschrieben</translation>
    </message>
    <message>
        <source>Walk: start, back, play, step, end</source>
        <translation>Durchlauf: Anfang, zurück, abspielen, Schritt, Ende</translation>
    </message>
    <message>
        <source>Any photo through the first stage of a CNN: each kernel is convolved with the photo, then an activation and pooling follow. Each map shows where its kernel responds; the histogram below it shows how its values spread.</source>
        <translation>Ein beliebiges Foto durch die erste Stufe eines CNN: Jeder Kern wird mit dem Foto gefaltet, dann folgen eine Aktivierung und ein Pooling. Jede Merkmalskarte zeigt, wo ihr Kern anspricht; das Histogramm darunter zeigt, wie ihre Werte streuen.</translation>
    </message>
    <message>
        <source>Kernels, convolution, activation, pooling, colours</source>
        <translation>Kerne, Faltung, Aktivierung, Pooling, Farben</translation>
    </message>
    <message>
        <source>The photo and one map per kernel</source>
        <translation>Das Foto und eine Merkmalskarte pro Kern</translation>
    </message>
    <message>
        <source>Open, paste or take the sample photo</source>
        <translation>Öffnen, einfügen oder das Beispielfoto nehmen</translation>
    </message>
    <message>
        <source>LeNet-5 learns from the MNIST digits: each batch nudges its weights to lower the loss. The curves show the loss and the accuracy, the kernels turn from noise into edge detectors, and the test set&apos;s confusion matrix shows which digits it mixes up.</source>
        <translation>LeNet-5 lernt aus den MNIST-Ziffern: Jeder Batch verschiebt seine Gewichte ein wenig, um den Verlust zu senken. Die Kurven zeigen Verlust und Genauigkeit, die Kerne werden von Rauschen zu Kantendetektoren, und die Konfusionsmatrix des Testsatzes zeigt, welche Ziffern es verwechselt.</translation>
    </message>
    <message>
        <source>Settings and start, pause, one batch, stop</source>
        <translation>Einstellungen und Start, Pause, ein Batch, Stopp</translation>
    </message>
    <message>
        <source>Loss and accuracy as training goes on</source>
        <translation>Verlust und Genauigkeit im Lauf des Trainings</translation>
    </message>
    <message>
        <source>The kernels and your digit&apos;s maps, following the training</source>
        <translation>Die Kerne und die Merkmalskarten Ihrer Ziffer, dem Training folgend</translation>
    </message>
    <message>
        <source>The test set: accuracy and confusion matrix</source>
        <translation>Der Testsatz: Genauigkeit und Konfusionsmatrix</translation>
    </message>
    <message>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <source>{0} ({1} tab)</source>
        <translation>{0} (Tab {1})</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>What they do</source>
        <translation>Was sie tun</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>The {0} tab.</source>
        <translation>Der Tab {0}.</translation>
    </message>
    <message>
        <source>What am I looking at?</source>
        <translation>Was sehe ich hier?</translation>
    </message>
    <message>
        <source>What am I looking at? · {0}</source>
        <translation>Was sehe ich hier? · {0}</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>nicht installiert</translation>
    </message>
    <message>
        <source>Watch a convolutional neural network work. MIT licence.</source>
        <translation>Einem faltenden neuronalen Netz bei der Arbeit zusehen. MIT-Lizenz.</translation>
    </message>
    <message>
        <source>About convviz</source>
        <translation>Über convviz</translation>
    </message>
</context>
<context>
    <name>InspectorControls</name>
    <message>
        <source>Custom</source>
        <translation>Eigener</translation>
    </message>
    <message>
        <source>Luminance (brightness)</source>
        <translation>Luminanz (Helligkeit)</translation>
    </message>
    <message>
        <source>Each colour channel (R, G, B)</source>
        <translation>Jeder Farbkanal (R, G, B)</translation>
    </message>
    <message>
        <source>zeros</source>
        <translation>Nullen</translation>
    </message>
    <message>
        <source>mirror</source>
        <translation>spiegeln</translation>
    </message>
    <message>
        <source>repeat edge</source>
        <translation>Rand wiederholen</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>average</source>
        <translation>Mittelwert</translation>
    </message>
    <message>
        <source>explicit</source>
        <translation>explizit</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>Grau</translation>
    </message>
    <message>
        <source>Blue–white–red</source>
        <translation>Blau–Weiß–Rot</translation>
    </message>
    <message>
        <source>Deep blue–white–deep red</source>
        <translation>Tiefblau–Weiß–Tiefrot</translation>
    </message>
    <message>
        <source>Blue–black–red</source>
        <translation>Blau–Schwarz–Rot</translation>
    </message>
    <message>
        <source>Green–white–purple</source>
        <translation>Grün–Weiß–Violett</translation>
    </message>
    <message>
        <source>Full range</source>
        <translation>Voller Bereich</translation>
    </message>
    <message>
        <source>Clip the extreme 0.5 %</source>
        <translation>Extreme 0,5 % abschneiden</translation>
    </message>
    <message>
        <source>Clip the extreme 2 %</source>
        <translation>Extreme 2 % abschneiden</translation>
    </message>
    <message>
        <source>Kernels (tick one or more)</source>
        <translation>Kerne (mehrere möglich)</translation>
    </message>
    <message>
        <source>Convolution → activation → pooling</source>
        <translation>Faltung → Aktivierung → Pooling</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>Farben</translation>
    </message>
    <message>
        <source>Edges</source>
        <translation>Kanten</translation>
    </message>
    <message>
        <source>Sobel x, Sobel y, Laplacian and a blur</source>
        <translation>Sobel x, Sobel y, Laplace und eine Unschärfe</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Model kernels</source>
        <translation>Modellkerne</translation>
    </message>
    <message>
        <source>The trained network&apos;s kernels of the layer (and input channel) picked below</source>
        <translation>Die Kerne des trainierten Netzes aus der unten gewählten Schicht (und dem Eingabekanal)</translation>
    </message>
    <message>
        <source>The model&apos;s conv layer whose kernels the list offers</source>
        <translation>Die Faltungsschicht des Modells, deren Kerne die Liste anbietet</translation>
    </message>
    <message>
        <source>Each filter has a kernel per input channel: which one</source>
        <translation>Jeder Filter hat einen Kern pro Eingabekanal: welcher</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>Schrittweite</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>Auffüllung</translation>
    </message>
    <message>
        <source>Pad with</source>
        <translation>Auffüllen mit</translation>
    </message>
    <message>
        <source>Dilation</source>
        <translation>Dilatation</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Aktivierung</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>Pooling</translation>
    </message>
    <message>
        <source>Pool size</source>
        <translation>Pooling-Größe</translation>
    </message>
    <message>
        <source>Pool stride</source>
        <translation>Pooling-Schrittweite</translation>
    </message>
    <message>
        <source>Maps ≥ 0</source>
        <translation>Karten ≥ 0</translation>
    </message>
    <message>
        <source>Signed maps</source>
        <translation>Karten mit Vorzeichen</translation>
    </message>
    <message>
        <source>Contrast</source>
        <translation>Kontrast</translation>
    </message>
    <message>
        <source>The model&apos;s C1 kernels</source>
        <translation>Die C1-Kerne des Modells</translation>
    </message>
    <message>
        <source>A kernel the network learned in its first layer.</source>
        <translation>Ein Kern, den das Netz in seiner ersten Schicht gelernt hat.</translation>
    </message>
    <message>
        <source>Your own kernel: edit its weights in the table below.</source>
        <translation>Dein eigener Kern: Bearbeite seine Gewichte in der Tabelle unten.</translation>
    </message>
    <message>
        <source>The model&apos;s {0} kernels</source>
        <translation>Die {0}-Kerne des Modells</translation>
    </message>
    <message>
        <source>The model&apos;s learned kernels</source>
        <translation>Die gelernten Kerne des Modells</translation>
    </message>
    <message>
        <source>A kernel the network learned.</source>
        <translation>Ein Kern, den das Netz gelernt hat.</translation>
    </message>
    <message>
        <source>The selected kernel&apos;s weights: double-click to type one</source>
        <translation>Die Gewichte des gewählten Kerns: zum Eintippen doppelklicken</translation>
    </message>
    <message>
        <source>The kernel&apos;s size (keeps its centre)</source>
        <translation>Die Größe des Kerns (behält seine Mitte)</translation>
    </message>
    <message>
        <source>What the kernels see: brightness or one colour channel</source>
        <translation>Was die Kerne sehen: Helligkeit oder je einen Farbkanal</translation>
    </message>
    <message>
        <source>How far each kernel moves between outputs</source>
        <translation>Wie weit sich jeder Kern zwischen zwei Ausgaben bewegt</translation>
    </message>
    <message>
        <source>Gaps between a kernel&apos;s taps (1 = none)</source>
        <translation>Lücken zwischen den Positionen eines Kerns (1 = keine)</translation>
    </message>
    <message>
        <source>same: the maps keep the photo&apos;s size; valid: no padding; explicit: the number beside</source>
        <translation>same: die Karten behalten die Größe des Fotos; valid: keine Auffüllung; explizit: die Zahl daneben</translation>
    </message>
    <message>
        <source>Padding pixels on every side (explicit padding)</source>
        <translation>Auffüllpixel auf jeder Seite (explizite Auffüllung)</translation>
    </message>
    <message>
        <source>What the padding holds: zeros or copies of the edge</source>
        <translation>Womit aufgefüllt wird: Nullen oder Kopien des Randes</translation>
    </message>
    <message>
        <source>The function applied to every map value</source>
        <translation>Die Funktion, die auf jeden Wert der Karte angewandt wird</translation>
    </message>
    <message>
        <source>Shrink each map by keeping the largest or the mean value of each window, or not at all</source>
        <translation>Jede Karte verkleinern, indem der größte oder der mittlere Wert jedes Fensters bleibt, oder gar nicht</translation>
    </message>
    <message>
        <source>The pooling window&apos;s size</source>
        <translation>Die Größe des Pooling-Fensters</translation>
    </message>
    <message>
        <source>How far the pooling window moves</source>
        <translation>Wie weit sich das Pooling-Fenster bewegt</translation>
    </message>
    <message>
        <source>Colours for maps without negative values</source>
        <translation>Farben für Karten ohne negative Werte</translation>
    </message>
    <message>
        <source>Colours for maps with negative and positive values</source>
        <translation>Farben für Karten mit negativen und positiven Werten</translation>
    </message>
    <message>
        <source>Ignore the most extreme values when choosing the colour range, so the rest shows</source>
        <translation>Die extremsten Werte bei der Wahl des Farbbereichs übergehen, damit der Rest sichtbar wird</translation>
    </message>
</context>
<context>
    <name>InspectorView</name>
    <message>
        <source>Open photo…</source>
        <translation>Foto öffnen…</translation>
    </message>
    <message>
        <source>Open a photo file (or drop one onto this tab)</source>
        <translation>Eine Fotodatei öffnen (oder auf diesen Tab ziehen)</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>Einfügen</translation>
    </message>
    <message>
        <source>Use the image on the clipboard (Ctrl+V)</source>
        <translation>Das Bild aus der Zwischenablage nehmen (Strg+V)</translation>
    </message>
    <message>
        <source>Sample photo</source>
        <translation>Beispielfoto</translation>
    </message>
    <message>
        <source>A street photo shipped with convviz</source>
        <translation>Ein Straßenfoto, das convviz mitbringt</translation>
    </message>
    <message>
        <source>Save map…</source>
        <translation>Karte speichern…</translation>
    </message>
    <message>
        <source>Save the selected map (click a map to select it) as PNG, at full resolution</source>
        <translation>Die gewählte Karte (zum Wählen anklicken) als PNG in voller Auflösung speichern</translation>
    </message>
    <message>
        <source>Save grid…</source>
        <translation>Alle speichern…</translation>
    </message>
    <message>
        <source>Save the photo and all maps as on screen, as PNG</source>
        <translation>Das Foto und alle Karten wie auf dem Bildschirm als PNG speichern</translation>
    </message>
    <message>
        <source>No photo yet</source>
        <translation>Noch kein Foto</translation>
    </message>
    <message>
        <source>Drop a photo onto this tab, or use Open, Paste or Sample photo.
Then hover over the photo or a map to read values.</source>
        <translation>Foto auf diesen Tab ziehen oder Öffnen, Einfügen, Beispielfoto nutzen.
Dann mit der Maus über Foto oder Karte fahren, um Werte abzulesen.</translation>
    </message>
    <message>
        <source>Hover over the photo or a map to read its values; drag to pan and scroll to zoom (all pictures follow).
Click a map to choose the one Save map writes.</source>
        <translation>Maus über Foto oder Karte: Werte ablesen; Ziehen verschiebt, Mausrad zoomt (alle Bilder folgen).
Eine Karte anklicken wählt die, die »Karte speichern« schreibt.</translation>
    </message>
    <message>
        <source>the pasted image</source>
        <translation>eingefügtes Bild</translation>
    </message>
    <message>
        <source>the sample photo</source>
        <translation>Beispielfoto</translation>
    </message>
    <message>
        <source>The clipboard holds no image to paste.</source>
        <translation>Die Zwischenablage enthält kein Bild zum Einfügen.</translation>
    </message>
    <message>
        <source>Tick at least one kernel to see its feature map.</source>
        <translation>Kreuze mindestens einen Kern an, um seine Merkmalskarte zu sehen.</translation>
    </message>
    <message>
        <source>Computing the feature maps…</source>
        <translation>Die Merkmalskarten werden berechnet…</translation>
    </message>
    <message>
        <source>Loading {0}…</source>
        <translation>Lade {0}…</translation>
    </message>
    <message>
        <source>Photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <source>Loaded {0}.</source>
        <translation>Geladen: {0}.</translation>
    </message>
    <message>
        <source> The photo on show stays.</source>
        <translation> Das angezeigte Foto bleibt.</translation>
    </message>
    <message>
        <source>{0} feature map(s), the first {1}×{2}, computed in {3:.0f} ms</source>
        <translation>{0} Merkmalskarte(n), die erste {1}×{2}, berechnet in {3:.0f} ms</translation>
    </message>
    <message>
        <source>; newer settings are being computed…</source>
        <translation>; neuere Einstellungen werden berechnet…</translation>
    </message>
    <message>
        <source>Outside the photo.</source>
        <translation>Außerhalb des Fotos.</translation>
    </message>
    <message>
        <source>Photo pixel {0}</source>
        <translation>Fotopixel {0}</translation>
    </message>
    <message>
        <source>Each map&apos;s title shows its cell (row, column) over this pixel and the cell&apos;s value.</source>
        <translation>Der Titel jeder Karte zeigt ihre Zelle (Zeile, Spalte) über diesem Pixel und deren Wert.</translation>
    </message>
    <message>
        <source>{0}, row {1}, col {2} = {3} reads photo rows {4}–{5} and columns {6}–{7} (outlined on the photo)</source>
        <translation>{0}, Zeile {1}, Spalte {2} = {3} liest Fotozeilen {4}–{5}, -spalten {6}–{7} (auf dem Foto umrandet)</translation>
    </message>
    <message>
        <source>, partly padding.</source>
        <translation>, teils Auffüllung.</translation>
    </message>
    <message>
        <source>Open a photo</source>
        <translation>Ein Foto öffnen</translation>
    </message>
    <message>
        <source>Save the map as PNG</source>
        <translation>Die Karte als PNG speichern</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Save the photo and its maps as PNG</source>
        <translation>Das Foto und seine Karten als PNG speichern</translation>
    </message>
    <message>
        <source>{0} padding</source>
        <translation>Auffüllung {0}</translation>
    </message>
    <message>
        <source>padding {0}</source>
        <translation>Auffüllung {0}</translation>
    </message>
    <message>
        <source>{0} conv, stride {1}, {2}</source>
        <translation>{0}-Faltung, Schrittweite {1}, {2}</translation>
    </message>
    <message>
        <source>, dilation {0}</source>
        <translation>, Dilatation {0}</translation>
    </message>
    <message>
        <source>Luminance</source>
        <translation>Luminanz</translation>
    </message>
    <message>
        <source>Each channel</source>
        <translation>Jeder Kanal</translation>
    </message>
    <message>
        <source>max pool {0}</source>
        <translation>Max-Pooling {0}</translation>
    </message>
    <message>
        <source>average pool {0}</source>
        <translation>Mittelwert-Pooling {0}</translation>
    </message>
</context>
<context>
    <name>KernelPicker</name>
    <message>
        <source>every small conv layer</source>
        <translation>jede kleine Faltungsschicht</translation>
    </message>
    <message>
        <source>all inputs</source>
        <translation>alle Eingaben</translation>
    </message>
    <message>
        <source>The convolution whose kernels are drawn</source>
        <translation>Die Faltung, deren Kerne gezeichnet werden</translation>
    </message>
    <message>
        <source>Which input channel&apos;s kernels are drawn: each filter has one kernel per channel of its input</source>
        <translation>Welcher Eingabekanal gezeichnet wird: Jeder Filter hat einen Kern pro Kanal seiner Eingabe</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>{0} · {1} filters {2}×{3}, {4} inputs</source>
        <translation>{0} · {1} Filter {2}×{3}, {4} Eingaben</translation>
    </message>
    <message>
        <source>{0} · {1} filters {2}×{3}, {4} input</source>
        <translation>{0} · {1} Filter {2}×{3}, {4} Eingabe</translation>
    </message>
</context>
<context>
    <name>KernelView</name>
    <message>
        <source>red</source>
        <translation>Rot</translation>
    </message>
    <message>
        <source>green</source>
        <translation>Grün</translation>
    </message>
    <message>
        <source>blue</source>
        <translation>Blau</translation>
    </message>
    <message>
        <source>input {0}</source>
        <translation>Eingabe {0}</translation>
    </message>
    <message>
        <source>{0} maps, from {1} of {2} inputs, {3}×{4}</source>
        <translation>{0} Karten, aus {1} von {2} Eingaben, {3}×{4}</translation>
    </message>
    <message>
        <source>{0} maps × {1} inputs (rows: {2}), {3}×{4}</source>
        <translation>{0} Karten × {1} Eingaben (Zeilen: {2}), {3}×{4}</translation>
    </message>
    <message>
        <source>{0} maps × {1} inputs, {3}×{4}</source>
        <translation>{0} Karten × {1} Eingaben, {3}×{4}</translation>
    </message>
    <message>
        <source>This model has no convolution layer, so no kernels</source>
        <translation>Dieses Modell hat keine Faltungsschicht, also keine Kerne</translation>
    </message>
    <message>
        <source>Column: a {0} map · row k reads {1}&apos;s map k</source>
        <translation>Spalte: eine Karte von {0} · Zeile k liest Karte k von {1}</translation>
    </message>
    <message>
        <source>{0} kernel · map {1} from input {2} · row {3}, col {4} · weight {5}</source>
        <translation>{0}-Kern · Karte {1} aus Eingabe {2} · Zeile {3}, Spalte {4} · Gewicht {5}</translation>
    </message>
</context>
<context>
    <name>LabView</name>
    <message>
        <source>LeNet-5 classic (tanh, average pooling)</source>
        <translation>LeNet-5 klassisch (tanh, Average-Pooling)</translation>
    </message>
    <message>
        <source>LeNet-5 modern (ReLU, max pooling)</source>
        <translation>LeNet-5 modern (ReLU, Max-Pooling)</translation>
    </message>
    <message>
        <source>MLP baseline (no convolution)</source>
        <translation>MLP als Vergleich (ohne Faltung)</translation>
    </message>
    <message>
        <source>small VGG-style CNN</source>
        <translation>kleines CNN im VGG-Stil</translation>
    </message>
    <message>
        <source>one 5×5 convolution</source>
        <translation>eine 5×5-Faltung</translation>
    </message>
    <message>
        <source>two 3×3 convolutions</source>
        <translation>zwei 3×3-Faltungen</translation>
    </message>
    <message>
        <source>colour CNN (32×32×3 photos)</source>
        <translation>Farb-CNN (32×32×3-Fotos)</translation>
    </message>
    <message>
        <source>an empty network</source>
        <translation>ein leeres Netz</translation>
    </message>
    <message>
        <source>Architecture (*.json)</source>
        <translation>Architektur (*.json)</translation>
    </message>
    <message>
        <source>Input height</source>
        <translation>Eingabehöhe</translation>
    </message>
    <message>
        <source>Input width</source>
        <translation>Eingabebreite</translation>
    </message>
    <message>
        <source>Input channels (1 grey, 3 colour)</source>
        <translation>Eingabekanäle (1 grau, 3 farbig)</translation>
    </message>
    <message>
        <source>Save the design</source>
        <translation>Entwurf speichern</translation>
    </message>
    <message>
        <source>Open a design</source>
        <translation>Entwurf öffnen</translation>
    </message>
    <message>
        <source>A network to start from: a preset of the course, or empty</source>
        <translation>Ein Netz als Ausgangspunkt: eine Vorlage des Kurses oder ein leeres</translation>
    </message>
    <message>
        <source>Start from this</source>
        <translation>Übernehmen</translation>
    </message>
    <message>
        <source>Replace the design with this preset</source>
        <translation>Ersetze den Entwurf durch diese Vorlage</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Delete removes the layer, Ctrl+Up / Ctrl+Down move it, Insert adds the chosen type after it</source>
        <translation>Entf entfernt die Schicht, Strg+Hoch / Strg+Runter verschieben sie, Einfg fügt den gewählten Typ dahinter ein</translation>
    </message>
    <message>
        <source>The kind of layer + Add puts after the chosen one</source>
        <translation>Die Art von Schicht, die + Neu hinter die gewählte setzt</translation>
    </message>
    <message>
        <source>+ Add</source>
        <translation>+ Neu</translation>
    </message>
    <message>
        <source>Add a layer of this type after the chosen one (Insert)</source>
        <translation>Füge eine Schicht dieses Typs hinter der gewählten ein (Einfg)</translation>
    </message>
    <message>
        <source>− Remove</source>
        <translation>− Löschen</translation>
    </message>
    <message>
        <source>Remove the chosen layer (Delete)</source>
        <translation>Entferne die gewählte Schicht (Entf)</translation>
    </message>
    <message>
        <source>▲ Up</source>
        <translation>▲ Auf</translation>
    </message>
    <message>
        <source>Move the chosen layer up (Ctrl+Up)</source>
        <translation>Schiebe die gewählte Schicht nach oben (Strg+Hoch)</translation>
    </message>
    <message>
        <source>▼ Down</source>
        <translation>▼ Ab</translation>
    </message>
    <message>
        <source>Move the chosen layer down (Ctrl+Down)</source>
        <translation>Schiebe die gewählte Schicht nach unten (Strg+Runter)</translation>
    </message>
    <message>
        <source>Copy as Keras code</source>
        <translation>Keras-Code kopieren</translation>
    </message>
    <message>
        <source>The design as a Sequential with add calls, for a notebook</source>
        <translation>Der Entwurf als Sequential mit add-Aufrufen, für ein Notebook</translation>
    </message>
    <message>
        <source>Save design…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Save a working design as a JSON architecture</source>
        <translation>Speichere einen funktionierenden Entwurf als JSON-Architektur</translation>
    </message>
    <message>
        <source>Open design…</source>
        <translation>Öffnen…</translation>
    </message>
    <message>
        <source>Open a design saved as a JSON architecture</source>
        <translation>Öffne einen als JSON-Architektur gespeicherten Entwurf</translation>
    </message>
    <message>
        <source>▶ Train this design</source>
        <translation>▶ Trainieren</translation>
    </message>
    <message>
        <source>Train it in the Train tab, on a dataset whose images and classes it fits</source>
        <translation>Trainiere ihn im Tab Training, auf einem Datensatz, zu dessen Bildern und Klassen er passt</translation>
    </message>
    <message>
        <source>Design</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <source>What each layer does</source>
        <translation>Was jede Schicht tut</translation>
    </message>
    <message>
        <source>Recomputed as you type; a sliding window&apos;s output size is ⌊(n + padding − d·(k − 1) − 1) / s⌋ + 1</source>
        <translation>Neu berechnet, während du tippst; die Ausgabegröße eines gleitenden Fensters ist ⌊(n + padding − d·(k − 1) − 1) / s⌋ + 1</translation>
    </message>
    <message>
        <source>Started from {0}.</source>
        <translation>Ausgangspunkt: {0}.</translation>
    </message>
    <message>
        <source>The Keras code is on the clipboard: paste it into a notebook or script where convviz is installed.</source>
        <translation>Der Keras-Code ist in der Zwischenablage: Füge ihn in ein Notebook oder Skript ein, in dem convviz installiert ist.</translation>
    </message>
    <message>
        <source>The design could not be saved to {0}: {1}.</source>
        <translation>Der Entwurf konnte nicht unter {0} gespeichert werden: {1}.</translation>
    </message>
    <message>
        <source>Saved the design to {0}.</source>
        <translation>Entwurf unter {0} gespeichert.</translation>
    </message>
    <message>
        <source>This design cannot be opened: {0}</source>
        <translation>Dieser Entwurf lässt sich nicht öffnen: {0}</translation>
    </message>
    <message>
        <source>Opened the design {0}.</source>
        <translation>Entwurf {0} geöffnet.</translation>
    </message>
    <message>
        <source>Layer {0}: {1} ({2})</source>
        <translation>Nr. {0}: {1} ({2})</translation>
    </message>
    <message>
        <source>No layer chosen</source>
        <translation>Keine Schicht gewählt</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; parameters ({1}) · activations &lt;b&gt;{2}&lt;/b&gt; per image · {3} in, {4} class scores out</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; Parameter ({1}) · Aktivierungen &lt;b&gt;{2}&lt;/b&gt; pro Bild · {3} hinein, {4} Klassenwerte heraus</translation>
    </message>
    <message>
        <source>the Lab&apos;s design {0}</source>
        <translation>den Entwurf {0} aus dem Labor</translation>
    </message>
    <message>
        <source>Time per epoch could not be measured: {0}</source>
        <translation>Die Zeit pro Epoche ließ sich nicht messen: {0}</translation>
    </message>
    <message>
        <source>Time per epoch: once the design works.</source>
        <translation>Zeit pro Epoche: sobald der Entwurf funktioniert.</translation>
    </message>
    <message>
        <source>Time per epoch: measuring on this computer…</source>
        <translation>Zeit pro Epoche: wird auf diesem Computer gemessen…</translation>
    </message>
    <message>
        <source>Time per epoch on this computer: about &lt;b&gt;{0}&lt;/b&gt; for {1} images at batch {2} ({3} ms a batch, measured).</source>
        <translation>Zeit pro Epoche auf diesem Computer: etwa &lt;b&gt;{0}&lt;/b&gt; für {1} Bilder bei Stapelgröße {2} ({3} ms pro Stapel, gemessen).</translation>
    </message>
    <message>
        <source>&lt;b&gt;That is over three minutes an epoch:&lt;/b&gt; fewer filters, smaller Dense layers or pooling earlier make it faster.</source>
        <translation>&lt;b&gt;Das sind über drei Minuten pro Epoche:&lt;/b&gt; Weniger Filter, kleinere Dense-Schichten oder früheres Pooling machen es schneller.</translation>
    </message>
</context>
<context>
    <name>LayerEditor</name>
    <message>
        <source>How many kernels, so how many output maps</source>
        <translation>Wie viele Kerne, also wie viele Ausgabekarten</translation>
    </message>
    <message>
        <source>Height and width of each kernel</source>
        <translation>Höhe und Breite jedes Kerns</translation>
    </message>
    <message>
        <source>How far the window moves each step</source>
        <translation>Wie weit sich das Fenster pro Schritt bewegt</translation>
    </message>
    <message>
        <source>valid: no padding; same: zeros around the input so the size stays (at stride 1)</source>
        <translation>valid: kein Padding; same: Nullen um die Eingabe, damit die Größe bleibt (bei Schrittweite 1)</translation>
    </message>
    <message>
        <source>Gaps between the kernel&apos;s taps (1: none)</source>
        <translation>Lücken zwischen den Abgriffen des Kerns (1: keine)</translation>
    </message>
    <message>
        <source>Height and width of the pooling window</source>
        <translation>Höhe und Breite des Pooling-Fensters</translation>
    </message>
    <message>
        <source>How many outputs (neurons)</source>
        <translation>Wie viele Ausgaben (Neuronen)</translation>
    </message>
    <message>
        <source>Share of the inputs switched off at random while training</source>
        <translation>Anteil der Eingaben, die beim Training zufällig abgeschaltet werden</translation>
    </message>
    <message>
        <source>The function applied to each output</source>
        <translation>Die Funktion, die auf jede Ausgabe angewendet wird</translation>
    </message>
    <message>
        <source>Choose a layer to edit it.</source>
        <translation>Wähle eine Schicht, um sie zu bearbeiten.</translation>
    </message>
    <message>
        <source>A {0} layer has no arguments to set.</source>
        <translation>Eine {0}-Schicht hat keine einstellbaren Argumente.</translation>
    </message>
</context>
<context>
    <name>LayerTable</name>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Memory
per image</source>
        <translation>Speicher
pro Bild</translation>
    </message>
    <message>
        <source>Memory
per batch</source>
        <translation>Speicher
pro Batch</translation>
    </message>
    <message>
        <source>Activation memory per image and per batch of</source>
        <translation>Aktivierungsspeicher pro Bild und pro Batch von</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt; parameters ({1}) · activations &lt;b&gt;{2}&lt;/b&gt; per image, &lt;b&gt;{3}&lt;/b&gt; per batch of {4}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt; Parameter ({1}) · Aktivierungen &lt;b&gt;{2}&lt;/b&gt; pro Bild, &lt;b&gt;{3}&lt;/b&gt; pro Batch von {4}</translation>
    </message>
</context>
<context>
    <name>LessonDock</name>
    <message>
        <source>Lessons</source>
        <translation>Lektionen</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>&amp;Lektionen</translation>
    </message>
    <message>
        <source>&amp;Lessons panel</source>
        <translation>&amp;Lektionsleiste</translation>
    </message>
    <message>
        <source>&amp;Next step</source>
        <translation>&amp;Nächster Schritt</translation>
    </message>
    <message>
        <source>The lesson&apos;s next step</source>
        <translation>Der nächste Schritt der Lektion</translation>
    </message>
    <message>
        <source>&amp;Previous step</source>
        <translation>&amp;Vorheriger Schritt</translation>
    </message>
    <message>
        <source>The lesson&apos;s step before</source>
        <translation>Der Schritt davor</translation>
    </message>
    <message>
        <source>&amp;Choose a lesson…</source>
        <translation>Lektion &amp;wählen…</translation>
    </message>
    <message>
        <source>The list of lessons</source>
        <translation>Die Liste der Lektionen</translation>
    </message>
    <message>
        <source>&amp;Answer the question</source>
        <translation>&amp;Frage beantworten</translation>
    </message>
    <message>
        <source>Type the answer to the step&apos;s quiz</source>
        <translation>Die Antwort auf die Frage des Schritts eintippen</translation>
    </message>
    <message>
        <source>Open lesson &amp;folder…</source>
        <translation>Lektions&amp;ordner öffnen…</translation>
    </message>
    <message>
        <source>Load a teacher&apos;s own lessons</source>
        <translation>Eigene Lektionen einer Lehrkraft laden</translation>
    </message>
    <message>
        <source>&amp;Record this setup as a step…</source>
        <translation>Diese Einstellung als Schritt &amp;aufnehmen…</translation>
    </message>
    <message>
        <source>Append the window&apos;s current setup, with your text, to a lesson file</source>
        <translation>Die aktuelle Einstellung des Fensters mit deinem Text an eine Lektionsdatei anhängen</translation>
    </message>
    <message>
        <source>&amp;Hide advanced controls</source>
        <translation>Fortgeschrittene Einstellungen a&amp;usblenden</translation>
    </message>
    <message>
        <source>For a first lesson: hide padding fill, bias, activation, weight decay, dropout, augmentation, seed, What if? and Top patches</source>
        <translation>Für eine erste Lektion: »Auffüllen mit«, Bias, Aktivierung, Weight Decay, Dropout, Augmentierung, Startwert, »Was, wenn?« und »Ausschnitte« ausblenden</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>&amp;Vollbild</translation>
    </message>
    <message>
        <source>{0} lesson file(s) could not be read; the others are loaded. {1}</source>
        <translation>{0} Lektionsdatei(en) konnten nicht gelesen werden; die anderen sind geladen. {1}</translation>
    </message>
    <message>
        <source>A folder of lessons</source>
        <translation>Ein Ordner mit Lektionen</translation>
    </message>
    <message>
        <source>{0} cannot be written: {1}</source>
        <translation>{0} kann nicht geschrieben werden: {1}</translation>
    </message>
    <message>
        <source>The step was added to {0}.</source>
        <translation>Der Schritt wurde an {0} angehängt.</translation>
    </message>
</context>
<context>
    <name>LessonStage</name>
    <message>
        <source>(locked by the lesson for this step)</source>
        <translation>(für diesen Schritt von der Lektion gesperrt)</translation>
    </message>
</context>
<context>
    <name>LessonsPanel</name>
    <message>
        <source>The lessons, in course order</source>
        <translation>Die Lektionen in der Reihenfolge des Kurses</translation>
    </message>
    <message>
        <source>Your answer</source>
        <translation>Deine Antwort</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>Check your answer (Enter)</source>
        <translation>Deine Antwort prüfen (Eingabetaste)</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ Zurück</translation>
    </message>
    <message>
        <source>The step before (Page Up)</source>
        <translation>Der Schritt davor (Bild ↑)</translation>
    </message>
    <message>
        <source>The next step (Page Down, as a presentation clicker sends)</source>
        <translation>Der nächste Schritt (Bild ↓, wie ein Präsentations-Klicker es sendet)</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— wählen —</translation>
    </message>
    <message>
        <source>Next lesson ▶</source>
        <translation>Nächste Lektion ▶</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>Weiter ▶</translation>
    </message>
    <message>
        <source>step {0} of {1}</source>
        <translation>Schritt {0} von {1}</translation>
    </message>
    <message>
        <source>The setup has changed, so this question has no answer now: go back to the step (Page Up, Page Down).</source>
        <translation>Die Einstellung hat sich geändert, deshalb hat diese Frage gerade keine Antwort: Geh zurück zu dem Schritt (Bild ↑, Bild ↓).</translation>
    </message>
    <message>
        <source>Type a number, such as 4 or 0.5.</source>
        <translation>Gib eine Zahl ein, etwa 4 oder 0.5.</translation>
    </message>
    <message>
        <source>Right! {0}</source>
        <translation>Richtig! {0}</translation>
    </message>
    <message>
        <source>Not quite: the answer is {0}. {1}</source>
        <translation>Nicht ganz: Die Antwort ist {0}. {1}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Draw</source>
        <translation>Zeichnen</translation>
    </message>
    <message>
        <source>Stepper</source>
        <translation>Schritt für Schritt</translation>
    </message>
    <message>
        <source>Image inspection</source>
        <translation>Bildanalyse</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Training</translation>
    </message>
    <message>
        <source>Lab</source>
        <translation>Labor</translation>
    </message>
    <message>
        <source>Warming up: compiling the network&apos;s kernels…</source>
        <translation>Aufwärmen: Die Rechenkerne des Netzes werden kompiliert…</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Open image…</source>
        <translation>Bild ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>&amp;Paste image</source>
        <translation>Bild &amp;einfügen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Presenter mode (text at 150 %)</source>
        <translation>&amp;Präsentationsmodus (Text auf 150 %)</translation>
    </message>
    <message>
        <source>&amp;Larger text</source>
        <translation>Text &amp;größer</translation>
    </message>
    <message>
        <source>&amp;Smaller text</source>
        <translation>Text &amp;kleiner</translation>
    </message>
    <message>
        <source>&amp;Normal text size</source>
        <translation>&amp;Normale Textgröße</translation>
    </message>
    <message>
        <source>Open &amp;log folder</source>
        <translation>&amp;Log-Ordner öffnen</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;What am I looking at?</source>
        <translation>&amp;Was sehe ich hier?</translation>
    </message>
    <message>
        <source>&amp;About convviz</source>
        <translation>Ü&amp;ber convviz</translation>
    </message>
    <message>
        <source>Large text for a projector; again for normal size</source>
        <translation>Große Schrift für einen Beamer; noch einmal für normale Größe</translation>
    </message>
    <message>
        <source>Where convviz writes what went wrong, with details</source>
        <translation>Wo convviz aufschreibt, was schiefging, mit Einzelheiten</translation>
    </message>
    <message>
        <source>The Train tab is not translated yet</source>
        <translation>Der Tab Training ist noch nicht übersetzt</translation>
    </message>
    <message>
        <source>Text at {0:.0%}</source>
        <translation>Text auf {0:.0%}</translation>
    </message>
    <message>
        <source>MNIST test digits were not found in {0}. Run `convviz download` to get them.</source>
        <translation>Die MNIST-Testziffern wurden in {0} nicht gefunden. Mit `convviz download` lassen sie sich holen.</translation>
    </message>
    <message>
        <source>The network could not be prepared: {0}</source>
        <translation>Das Netz konnte nicht vorbereitet werden: {0}</translation>
    </message>
    <message>
        <source>Network ready (kernels prepared in {0:.1f} s)</source>
        <translation>Netz bereit (Rechenkerne in {0:.1f} s vorbereitet)</translation>
    </message>
    <message>
        <source>image</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>Loading {0}…</source>
        <translation>Lade {0}…</translation>
    </message>
    <message>
        <source>The clipboard holds no image to paste.</source>
        <translation>Die Zwischenablage enthält kein Bild zum Einfügen.</translation>
    </message>
    <message>
        <source>The log folder {0} cannot be made: {1}</source>
        <translation>Der Log-Ordner {0} lässt sich nicht anlegen: {1}</translation>
    </message>
    <message>
        <source>The log folder is {0}</source>
        <translation>Der Log-Ordner ist {0}</translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation>Ein Bild öffnen</translation>
    </message>
    <message>
        <source>Loaded {0}.</source>
        <translation>Geladen: {0}.</translation>
    </message>
    <message>
        <source>Undo (Ctrl+Z) brings back your drawing.</source>
        <translation>Rückgängig (Strg+Z) holt deine Zeichnung zurück.</translation>
    </message>
    <message>
        <source>{0} was read for the model before; open it again for this one.</source>
        <translation>{0} wurde für das vorige Modell gelesen; öffne es für dieses noch einmal.</translation>
    </message>
    <message>
        <source>Loaded {0}: the network sees it resized to {1}×{2}.</source>
        <translation>{0} geladen: das Netz sieht es auf {1}×{2} skaliert.</translation>
    </message>
    <message>
        <source>Open in Image inspection</source>
        <translation>In der Bildanalyse öffnen</translation>
    </message>
    <message>
        <source>Model: {0}</source>
        <translation>Modell: {0}</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
</context>
<context>
    <name>MissingLibraries</name>
    <message>
        <source>convviz cannot open a window: Qt&apos;s X11 (xcb) plugin needs system libraries that are not installed ({0}).
Install them and start convviz again:
  Debian/Ubuntu:  sudo apt install {1}
  Fedora:         sudo dnf install {2}</source>
        <translation>convviz kann kein Fenster öffnen: Das X11-Plugin (xcb) von Qt braucht Systembibliotheken, die nicht installiert sind ({0}).
Installieren Sie sie und starten Sie convviz erneut:
  Debian/Ubuntu:  sudo apt install {1}
  Fedora:         sudo dnf install {2}</translation>
    </message>
</context>
<context>
    <name>ModelFile</name>
    <message>
        <source>convviz models (*.npz);;All files (*)</source>
        <translation>convviz-Modelle (*.npz);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Save the model</source>
        <translation>Das Modell speichern</translation>
    </message>
    <message>
        <source>Open a model</source>
        <translation>Ein Modell öffnen</translation>
    </message>
    <message>
        <source>Keep the trained weights?</source>
        <translation>Die trainierten Gewichte behalten?</translation>
    </message>
    <message>
        <source>Training is still running.</source>
        <translation>Das Training läuft noch.</translation>
    </message>
    <message>
        <source>The model holds training that has not been saved.</source>
        <translation>Das Modell enthält Training, das noch nicht gespeichert ist.</translation>
    </message>
    <message>
        <source>Save the weights to a model file before closing? Training stops either way; files saved before stay as they are.</source>
        <translation>Die Gewichte vor dem Schließen in eine Modelldatei speichern? Das Training endet so oder so; früher gespeicherte Dateien bleiben, wie sie sind.</translation>
    </message>
    <message>
        <source>Save the weights to a model file before {0}? Discard throws them away; Cancel leaves everything as it is.</source>
        <translation>Die Gewichte vor dem Schritt »{0}« in eine Modelldatei speichern? Verwerfen wirft sie weg; Abbrechen lässt alles, wie es ist.</translation>
    </message>
    <message>
        <source>starting a new run from random weights</source>
        <translation>neuer Lauf mit zufälligen Gewichten</translation>
    </message>
    <message>
        <source>&amp;Save model</source>
        <translation>Modell &amp;speichern</translation>
    </message>
    <message>
        <source>Save model &amp;as…</source>
        <translation>Modell speichern &amp;unter…</translation>
    </message>
    <message>
        <source>Open &amp;model…</source>
        <translation>&amp;Modell öffnen…</translation>
    </message>
    <message>
        <source> · what-if experiment on (Save keeps the trained weights)</source>
        <translation> · Was-wäre-wenn-Experiment läuft (Speichern behält die trainierten Gewichte)</translation>
    </message>
    <message>
        <source>The model could not be saved to {0}: {1}</source>
        <translation>Das Modell konnte nicht in {0} gespeichert werden: {1}</translation>
    </message>
    <message>
        <source>Model saved to {0}.</source>
        <translation>Modell in {0} gespeichert.</translation>
    </message>
    <message>
        <source> It holds the trained weights, not the what-if experiment on show ({0}).</source>
        <translation> Es enthält die trainierten Gewichte, nicht das angezeigte Was-wäre-wenn-Experiment ({0}).</translation>
    </message>
    <message>
        <source>Opening {0}…</source>
        <translation>Öffne {0}…</translation>
    </message>
    <message>
        <source>training started while it was read</source>
        <translation>das Training begann, während es gelesen wurde</translation>
    </message>
    <message>
        <source>The model could not be opened: {0}: {1}.</source>
        <translation>Das Modell konnte nicht geöffnet werden: {0}: {1}.</translation>
    </message>
    <message>
        <source>Opened {0}, but {1}; the model itself is fine.</source>
        <translation>{0} geöffnet, aber {1}; das Modell selbst ist in Ordnung.</translation>
    </message>
    <message>
        <source>Opened {0}.</source>
        <translation>Geöffnet: {0}.</translation>
    </message>
    <message>
        <source>Opened {0}, with 1 saved run (Train tab, Compare runs).</source>
        <translation>{0} geöffnet, mit 1 gespeicherten Lauf (Tab Training, Läufe vergleichen).</translation>
    </message>
    <message>
        <source>Opened {0}, with {1} saved runs (Train tab, Compare runs).</source>
        <translation>{0} geöffnet, mit {1} gespeicherten Läufen (Tab Training, Läufe vergleichen).</translation>
    </message>
    <message>
        <source>The model could not be opened: {0}</source>
        <translation>Das Modell konnte nicht geöffnet werden: {0}</translation>
    </message>
    <message>
        <source>Stop the training before opening another model.</source>
        <translation>Beende das Training, bevor du ein anderes Modell öffnest.</translation>
    </message>
    <message>
        <source>opening another model</source>
        <translation>anderes Modell öffnen</translation>
    </message>
</context>
<context>
    <name>PairSpin</name>
    <message>
        <source>h</source>
        <translation>H</translation>
    </message>
    <message>
        <source>w</source>
        <translation>B</translation>
    </message>
    <message>
        <source>{0}: height (rows)</source>
        <translation>{0}: Höhe (Zeilen)</translation>
    </message>
    <message>
        <source>{0}: width (columns)</source>
        <translation>{0}: Breite (Spalten)</translation>
    </message>
</context>
<context>
    <name>PictureSources</name>
    <message>
        <source>the dropped image</source>
        <translation>hineingezogenes Bild</translation>
    </message>
    <message>
        <source>the pasted image</source>
        <translation>eingefügtes Bild</translation>
    </message>
    <message>
        <source>Images ({0});;All files (*)</source>
        <translation>Bilder ({0});;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>PredictionView</name>
    <message>
        <source>warming up</source>
        <translation>wärmt auf</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>Wahrscheinlichkeit</translation>
    </message>
    <message>
        <source>draw a digit</source>
        <translation>zeichne eine Ziffer</translation>
    </message>
    <message>
        <source>open a picture</source>
        <translation>öffne ein Bild</translation>
    </message>
</context>
<context>
    <name>ProbeView</name>
    <message>
        <source>predicted</source>
        <translation>vorhergesagt</translation>
    </message>
    <message>
        <source>input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>draw a digit
in the Draw tab</source>
        <translation>zeichne eine Ziffer
im Tab Zeichnen</translation>
    </message>
    <message>
        <source>open a picture
in the Draw tab</source>
        <translation>öffne ein Bild
im Tab Zeichnen</translation>
    </message>
    <message>
        <source>{0} (What-if)</source>
        <translation>{0} (Was wäre, wenn)</translation>
    </message>
</context>
<context>
    <name>RecordStepDialog</name>
    <message>
        <source>Lesson (*.json)</source>
        <translation>Lektion (*.json)</translation>
    </message>
    <message>
        <source>Record this setup as a step</source>
        <translation>Diese Einstellung als Schritt aufnehmen</translation>
    </message>
    <message>
        <source>the lesson file to add the step to</source>
        <translation>die Lektionsdatei, an die der Schritt angehängt wird</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <source>Two to five sentences. Numbers in braces are filled in live, e.g. {output_size} or {cell_sum}.</source>
        <translation>Zwei bis fünf Sätze. Zahlen in geschweiften Klammern werden live eingesetzt, z. B. {output_size} oder {cell_sum}.</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>nichts</translation>
    </message>
    <message>
        <source>Setup recorded: {0}</source>
        <translation>Aufgenommene Einstellung: {0}</translation>
    </message>
    <message>
        <source>Lesson file</source>
        <translation>Lektionsdatei</translation>
    </message>
    <message>
        <source>Step title</source>
        <translation>Titel des Schritts</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Highlight</source>
        <translation>Hervorheben</translation>
    </message>
    <message>
        <source>Choose the lesson file first.</source>
        <translation>Wähle zuerst die Lektionsdatei.</translation>
    </message>
    <message>
        <source>The lesson file</source>
        <translation>Die Lektionsdatei</translation>
    </message>
</context>
<context>
    <name>StepperControls</name>
    <message>
        <source>Example 6×6 (slides: vertical edge)</source>
        <translation>Folien 6×6: senkrechte Kante</translation>
    </message>
    <message>
        <source>Example 6×6: bright | dark</source>
        <translation>Beispiel 6×6: hell | dunkel</translation>
    </message>
    <message>
        <source>Example 7×7 numbers</source>
        <translation>Beispiel 7×7: Zahlen</translation>
    </message>
    <message>
        <source>Example 7×7 pattern (0/1)</source>
        <translation>Beispiel 7×7: Muster (0/1)</translation>
    </message>
    <message>
        <source>Custom grid</source>
        <translation>Eigenes Raster</translation>
    </message>
    <message>
        <source>Loaded image</source>
        <translation>Geladenes Bild</translation>
    </message>
    <message>
        <source>Current drawing</source>
        <translation>Aktuelle Zeichnung</translation>
    </message>
    <message>
        <source>Current picture</source>
        <translation>Aktuelles Bild</translation>
    </message>
    <message>
        <source>Activation maps {0}</source>
        <translation>Aktivierungskarten {0}</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Eigener</translation>
    </message>
    <message>
        <source>all (colour)</source>
        <translation>alle (Farbe)</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>Faltung</translation>
    </message>
    <message>
        <source>Max pooling</source>
        <translation>Max-Pooling</translation>
    </message>
    <message>
        <source>Average pooling</source>
        <translation>Mittelwert-Pooling</translation>
    </message>
    <message>
        <source>Global average pooling</source>
        <translation>Globales Mittelwert-Pooling</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>explicit</source>
        <translation>explizit</translation>
    </message>
    <message>
        <source>zero</source>
        <translation>Nullen</translation>
    </message>
    <message>
        <source>reflect</source>
        <translation>spiegeln</translation>
    </message>
    <message>
        <source>replicate</source>
        <translation>Rand wiederholen</translation>
    </message>
    <message>
        <source>Mathematical convolution flips the kernel by 180°. Deep-learning libraries skip the flip (cross-correlation): the weights are learned, so a flipped kernel is just another kernel, and skipping it is simpler.</source>
        <translation>Die mathematische Faltung dreht den Kern um 180°. Deep-Learning-Bibliotheken lassen die Drehung weg (Kreuzkorrelation): Die Gewichte werden gelernt, ein gedrehter Kern ist also nur ein anderer Kern, und ohne Drehung ist es einfacher.</translation>
    </message>
    <message>
        <source>Your own kernel: type numbers (or fractions like 1/9).</source>
        <translation>Dein eigener Kern: Zahlen eintippen (oder Brüche wie 1/9).</translation>
    </message>
    <message>
        <source>channel {0}</source>
        <translation>Kanal {0}</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Operation</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>Kern</translation>
    </message>
    <message>
        <source>Sliding</source>
        <translation>Verschieben</translation>
    </message>
    <message>
        <source>Load image…</source>
        <translation>Bild laden…</translation>
    </message>
    <message>
        <source>colour (RGB)</source>
        <translation>Farbe (RGB)</translation>
    </message>
    <message>
        <source>Flip the kernel (true convolution)</source>
        <translation>Kern drehen (echte Faltung)</translation>
    </message>
    <message>
        <source>Grid size</source>
        <translation>Rastergröße</translation>
    </message>
    <message>
        <source>Show channel</source>
        <translation>Kanal zeigen</translation>
    </message>
    <message>
        <source>Pool size</source>
        <translation>Pooling-Größe</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Edit channel k&apos;</source>
        <translation>Kanal k&apos; bearbeiten</translation>
    </message>
    <message>
        <source>Bias b</source>
        <translation>Bias b</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Aktivierung</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>Schrittweite</translation>
    </message>
    <message>
        <source>Padding</source>
        <translation>Auffüllung</translation>
    </message>
    <message>
        <source>Padding fill</source>
        <translation>Auffüllen mit</translation>
    </message>
    <message>
        <source>Dilation</source>
        <translation>Dilatation</translation>
    </message>
    <message>
        <source>top</source>
        <translation>oben</translation>
    </message>
    <message>
        <source>bottom</source>
        <translation>unten</translation>
    </message>
    <message>
        <source>left</source>
        <translation>links</translation>
    </message>
    <message>
        <source>right</source>
        <translation>rechts</translation>
    </message>
    <message>
        <source>Load an image</source>
        <translation>Ein Bild laden</translation>
    </message>
    <message>
        <source>pooling&apos;s stride is the pool size</source>
        <translation>die Schrittweite des Poolings ist seine Fenstergröße</translation>
    </message>
    <message>
        <source>the convolution&apos;s stride is back</source>
        <translation>die Schrittweite der Faltung gilt wieder</translation>
    </message>
    <message>
        <source>Stride {0} → {1}: {2}.</source>
        <translation>Schrittweite {0} → {1}: {2}.</translation>
    </message>
    <message>
        <source>Learned filter {0} of the loaded model ({1} input channel(s)).</source>
        <translation>Gelernter Filter {0} des geladenen Modells ({1} Eingabekanal/-kanäle).</translation>
    </message>
    <message>
        <source>What the kernel slides over: an example grid, your own grid, the drawing, a picture or a layer&apos;s maps</source>
        <translation>Worüber der Kern gleitet: ein Beispielraster, dein eigenes Raster, die Zeichnung, ein Bild oder die Merkmalskarten einer Schicht</translation>
    </message>
    <message>
        <source>Open a picture file as the input (its pixel values 0-255)</source>
        <translation>Eine Bilddatei als Eingabe öffnen (ihre Pixelwerte 0–255)</translation>
    </message>
    <message>
        <source>Keep the picture&apos;s three colour channels instead of grey</source>
        <translation>Die drei Farbkanäle des Bildes behalten statt Grau</translation>
    </message>
    <message>
        <source>Size of your own grid</source>
        <translation>Größe Ihres eigenen Rasters</translation>
    </message>
    <message>
        <source>The input&apos;s numbers: double-click a cell to type a new one</source>
        <translation>Die Zahlen der Eingabe: eine Zelle doppelklicken, um eine neue einzutippen</translation>
    </message>
    <message>
        <source>Which channel of a multi-channel input is drawn</source>
        <translation>Welcher Kanal einer mehrkanaligen Eingabe gezeichnet wird</translation>
    </message>
    <message>
        <source>Convolution, or max / average pooling</source>
        <translation>Faltung, oder Max- / Mittelwert-Pooling</translation>
    </message>
    <message>
        <source>The pooling window&apos;s size</source>
        <translation>Die Größe des Pooling-Fensters</translation>
    </message>
    <message>
        <source>The kernel: a classic one, your own, or one the network learned</source>
        <translation>Der Kern: ein klassischer, dein eigener oder einer, den das Netz gelernt hat</translation>
    </message>
    <message>
        <source>The kernel&apos;s size (keeps its centre)</source>
        <translation>Die Größe des Kerns (behält seine Mitte)</translation>
    </message>
    <message>
        <source>Which input channel of the kernel is edited</source>
        <translation>Welcher Eingabekanal des Kerns bearbeitet wird</translation>
    </message>
    <message>
        <source>The kernel&apos;s weights: double-click a cell to type one</source>
        <translation>Die Gewichte des Kerns: eine Zelle doppelklicken, um eines einzutippen</translation>
    </message>
    <message>
        <source>Added to every sum before the activation</source>
        <translation>Wird vor der Aktivierung zu jeder Summe addiert</translation>
    </message>
    <message>
        <source>The function applied to each sum (none, ReLU, ...)</source>
        <translation>Die Funktion, die auf jede Summe angewandt wird (keine, ReLU, …)</translation>
    </message>
    <message>
        <source>How far the kernel moves between steps</source>
        <translation>Wie weit sich der Kern von Schritt zu Schritt bewegt</translation>
    </message>
    <message>
        <source>valid: no padding; same: pad so the output keeps the input&apos;s size; explicit: choose each side</source>
        <translation>valid: keine Auffüllung; same: so auffüllen, dass die Ausgabe die Größe der Eingabe behält; explizit: jede Seite wählen</translation>
    </message>
    <message>
        <source>Padding rows above the input</source>
        <translation>Auffüllzeilen über der Eingabe</translation>
    </message>
    <message>
        <source>Padding rows below the input</source>
        <translation>Auffüllzeilen unter der Eingabe</translation>
    </message>
    <message>
        <source>Padding columns left of the input</source>
        <translation>Auffüllspalten links der Eingabe</translation>
    </message>
    <message>
        <source>Padding columns right of the input</source>
        <translation>Auffüllspalten rechts der Eingabe</translation>
    </message>
    <message>
        <source>What the padding holds: zeros (as in CNNs), a mirror image of the border, or the edge pixel repeated</source>
        <translation>Womit aufgefüllt wird: Nullen (wie in CNNs), ein Spiegelbild des Randes oder das Randpixel wiederholt</translation>
    </message>
    <message>
        <source>Gaps between the kernel&apos;s taps (1 = none)</source>
        <translation>Lücken zwischen den Positionen des Kerns (1 = keine)</translation>
    </message>
    <message>
        <source>Lesson picture</source>
        <translation>Bild der Lektion</translation>
    </message>
</context>
<context>
    <name>StepperView</name>
    <message>
        <source>Forward pass</source>
        <translation>Vorwärtsdurchlauf</translation>
    </message>
    <message>
        <source>Backward pass</source>
        <translation>Rückwärtsdurchlauf</translation>
    </message>
    <message>
        <source>Forward: how each output cell is computed. Backward: how the gradients of the kernel and the input are computed from the gradient of the output.</source>
        <translation>Vorwärts: wie jede Ausgabezelle berechnet wird. Rückwärts: wie die Gradienten des Kerns und der Eingabe aus dem Gradienten der Ausgabe berechnet werden.</translation>
    </message>
    <message>
        <source>Numbers: {0} &amp;nbsp;·&amp;nbsp; Marks: &lt;span style=&apos;color:{1}&apos;&gt;■&lt;/span&gt; receptive field and the output cell it fills &amp;nbsp; ▨ padding &amp;nbsp; &lt;span style=&apos;color:{2}&apos;&gt;&lt;b&gt;×w&lt;/b&gt;&lt;/span&gt; kernel weight over each pixel &amp;nbsp; &lt;span style=&apos;color:{3}&apos;&gt;■&lt;/span&gt; max-pool winner &amp;nbsp; &lt;span style=&apos;color:{4}&apos;&gt;■&lt;/span&gt; clicked input pixel and the outputs that read it</source>
        <translation>Zahlen: {0} &amp;nbsp;·&amp;nbsp; Markierungen: &lt;span style=&apos;color:{1}&apos;&gt;■&lt;/span&gt; rezeptives Feld und die Ausgabezelle, die es füllt &amp;nbsp; ▨ Auffüllung &amp;nbsp; &lt;span style=&apos;color:{2}&apos;&gt;&lt;b&gt;×w&lt;/b&gt;&lt;/span&gt; Gewicht des Kerns über jedem Pixel &amp;nbsp; &lt;span style=&apos;color:{3}&apos;&gt;■&lt;/span&gt; Gewinner beim Max-Pooling &amp;nbsp; &lt;span style=&apos;color:{4}&apos;&gt;■&lt;/span&gt; angeklicktes Eingabepixel und die Ausgaben, die es lesen</translation>
    </message>
    <message>
        <source>|◀ Start</source>
        <translation>|◀ Anfang</translation>
    </message>
    <message>
        <source>Back to the first step (Home)</source>
        <translation>Zurück zum ersten Schritt (Pos1)</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ Zurück</translation>
    </message>
    <message>
        <source>One step back (←)</source>
        <translation>Einen Schritt zurück (←)</translation>
    </message>
    <message>
        <source>Walk through every step (Space)</source>
        <translation>Alle Schritte durchlaufen (Leertaste)</translation>
    </message>
    <message>
        <source>Step ▶</source>
        <translation>Schritt ▶</translation>
    </message>
    <message>
        <source>One step on (→)</source>
        <translation>Einen Schritt weiter (→)</translation>
    </message>
    <message>
        <source>End ▶|</source>
        <translation>Ende ▶|</translation>
    </message>
    <message>
        <source>Jump to the last step (End)</source>
        <translation>Zum letzten Schritt springen (Ende)</translation>
    </message>
    <message>
        <source>Save PNG…</source>
        <translation>PNG speichern…</translation>
    </message>
    <message>
        <source>Save this picture of the step as a PNG file</source>
        <translation>Dieses Bild des Schritts als PNG-Datei speichern</translation>
    </message>
    <message>
        <source>Export GIF…</source>
        <translation>GIF exportieren…</translation>
    </message>
    <message>
        <source>Save the walk as an animated GIF</source>
        <translation>Den Durchlauf als animiertes GIF speichern</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <source>Steps per second while playing</source>
        <translation>Schritte pro Sekunde beim Abspielen</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Kernel</source>
        <translation>Kern</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Rendering the walk…</source>
        <translation>Der Durchlauf wird gerendert…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>{0} steps/s</source>
        <translation>{0} Schritte/s</translation>
    </message>
    <message>
        <source>Save the view as PNG</source>
        <translation>Die Ansicht als PNG speichern</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Export the walk as GIF</source>
        <translation>Den Durchlauf als GIF exportieren</translation>
    </message>
    <message>
        <source>GIF animations (*.gif)</source>
        <translation>GIF-Animationen (*.gif)</translation>
    </message>
    <message>
        <source>{0} · {1} input</source>
        <translation>{0} · {1}-Eingabe</translation>
    </message>
    <message>
        <source>⚠ {0}
Stepping is off until the settings fit together.</source>
        <translation>⚠ {0}
Das schrittweise Durchlaufen ist aus, bis die Einstellungen zusammenpassen.</translation>
    </message>
    <message>
        <source>Output: —</source>
        <translation>Ausgabe: —</translation>
    </message>
    <message>
        <source>{0} input</source>
        <translation>{0}-Eingabe</translation>
    </message>
    <message>
        <source>{0} kernel, flipped (true convolution)</source>
        <translation>{0}-Kern, gedreht (echte Faltung)</translation>
    </message>
    <message>
        <source>{0} kernel</source>
        <translation>{0}-Kern</translation>
    </message>
    <message>
        <source>{0} pool</source>
        <translation>{0}-Pooling</translation>
    </message>
    <message>
        <source>stride {0}</source>
        <translation>Schrittweite {0}</translation>
    </message>
    <message>
        <source>dilation {0}</source>
        <translation>Dilatation {0}</translation>
    </message>
    <message>
        <source>{0} output</source>
        <translation>{0}-Ausgabe</translation>
    </message>
    <message>
        <source>Input x̃ (padded): {0}</source>
        <translation>Eingabe x̃ (aufgefüllt): {0}</translation>
    </message>
    <message>
        <source>Input x: {0}</source>
        <translation>Eingabe x: {0}</translation>
    </message>
    <message>
        <source>, flipped 180°</source>
        <translation>, um 180° gedreht</translation>
    </message>
    <message>
        <source> (the same on every channel)</source>
        <translation> (auf jedem Kanal derselbe)</translation>
    </message>
    <message>
        <source>Kernel w{0}{1}</source>
        <translation>Kern w{0}{1}</translation>
    </message>
    <message>
        <source>products x·w</source>
        <translation>Produkte x·w</translation>
    </message>
    <message>
        <source>{0}, sum {1}</source>
        <translation>{0}, Summe {1}</translation>
    </message>
    <message>
        <source> after {0}</source>
        <translation> nach {0}</translation>
    </message>
    <message>
        <source>Output {0}{1}</source>
        <translation>Ausgabe {0}{1}</translation>
    </message>
    <message>
        <source>Output cell ({0}, {1})</source>
        <translation>Ausgabezelle ({0}, {1})</translation>
    </message>
    <message>
        <source>Output size</source>
        <translation>Ausgabegröße</translation>
    </message>
    <message>
        <source>x̃ is the padded input: x̃[r, c] = x[r − {0}, c − {1}]</source>
        <translation>x̃ ist die aufgefüllte Eingabe: x̃[r, c] = x[r − {0}, c − {1}]</translation>
    </message>
    <message>
        <source> and {0} more</source>
        <translation> und {0} weitere</translation>
    </message>
    <message>
        <source>&lt;b&gt;Input pixel {0}&lt;/b&gt; is read by {1} output cell(s): {2}{3}</source>
        <translation>&lt;b&gt;Eingabepixel {0}&lt;/b&gt; wird von {1} Ausgabezelle(n) gelesen: {2}{3}</translation>
    </message>
    <message>
        <source>|| Pause</source>
        <translation>|| Pause</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ Abspielen</translation>
    </message>
    <message>
        <source>Stepping is off: see the message above</source>
        <translation>Schrittweises Durchlaufen ist aus: siehe die Meldung oben</translation>
    </message>
    <message>
        <source>Step {0} of {1} · output cell ({2}, {3})</source>
        <translation>Schritt {0} von {1} · Ausgabe ({2}, {3})</translation>
    </message>
    <message>
        <source>padding {0}</source>
        <translation>Auffüllung {0}</translation>
    </message>
    <message>
        <source>padding top {0}, bottom {1}, left {2}, right {3}</source>
        <translation>Auffüllung oben {0}, unten {1}, links {2}, rechts {3}</translation>
    </message>
</context>
<context>
    <name>Theme</name>
    <message>
        <source>&lt;span style=&apos;color:{0}&apos;&gt;■&lt;/span&gt; negative · white zero · &lt;span style=&apos;color:{1}&apos;&gt;■&lt;/span&gt; positive</source>
        <translation>&lt;span style=&apos;color:{0}&apos;&gt;■&lt;/span&gt; negativ · weiß null · &lt;span style=&apos;color:{1}&apos;&gt;■&lt;/span&gt; positiv</translation>
    </message>
</context>
<context>
    <name>WhatIfView</name>
    <message>
        <source>Softmax temperature T: the probabilities are softmax(logits / T). Above 1 the answer looks less sure, below 1 surer; the winner never changes.</source>
        <translation>Softmax-Temperatur T: Die Wahrscheinlichkeiten sind softmax(logits / T). Über 1 wirkt die Antwort unsicherer, unter 1 sicherer; der Sieger ändert sich nie.</translation>
    </message>
    <message>
        <source>This model&apos;s last layer applies softmax itself, so its logits are not at hand and the temperature cannot change its probabilities (T = 1).</source>
        <translation>Die letzte Schicht dieses Modells wendet Softmax selbst an, deshalb sind seine Logits nicht greifbar, und die Temperatur kann seine Wahrscheinlichkeiten nicht ändern (T = 1).</translation>
    </message>
    <message>
        <source>New weights arrived (training, or the trained ones restored): the what-if experiment ended.</source>
        <translation>Neue Gewichte sind angekommen (Training, oder die trainierten wurden wiederhergestellt): Das Was-wäre-wenn-Experiment ist beendet.</translation>
    </message>
    <message>
        <source>horizontal</source>
        <translation>waagerecht</translation>
    </message>
    <message>
        <source>vertical</source>
        <translation>senkrecht</translation>
    </message>
    <message>
        <source>Switch filters off: click a map</source>
        <translation>Filter abschalten: Karte anklicken</translation>
    </message>
    <message>
        <source>Edit a kernel</source>
        <translation>Kern bearbeiten</translation>
    </message>
    <message>
        <source>Shift the input</source>
        <translation>Eingabe verschieben</translation>
    </message>
    <message>
        <source>Sweep</source>
        <translation>Durchlauf</translation>
    </message>
    <message>
        <source>Softmax temperature</source>
        <translation>Softmax-Temperatur</translation>
    </message>
    <message>
        <source>Move the picture one pixel up</source>
        <translation>Das Bild ein Pixel nach oben schieben</translation>
    </message>
    <message>
        <source>Move the picture one pixel down</source>
        <translation>Das Bild ein Pixel nach unten schieben</translation>
    </message>
    <message>
        <source>Move the picture one pixel left</source>
        <translation>Das Bild ein Pixel nach links schieben</translation>
    </message>
    <message>
        <source>Move the picture one pixel right</source>
        <translation>Das Bild ein Pixel nach rechts schieben</translation>
    </message>
    <message>
        <source>Click a feature map to switch its filter off; click again to switch it back on</source>
        <translation>Klick auf eine Merkmalskarte, um ihren Filter abzuschalten; noch ein Klick schaltet ihn wieder ein</translation>
    </message>
    <message>
        <source>The first-layer filter whose weights the table edits</source>
        <translation>Der Filter der ersten Schicht, dessen Gewichte die Tabelle bearbeitet</translation>
    </message>
    <message>
        <source>Type a new weight into any cell: the whole network follows at once</source>
        <translation>Tipp ein neues Gewicht in eine beliebige Zelle: Das ganze Netz folgt sofort</translation>
    </message>
    <message>
        <source>Which way the sweep moves the picture</source>
        <translation>In welche Richtung der Durchlauf das Bild verschiebt</translation>
    </message>
    <message>
        <source>Sweep −6…+6 px</source>
        <translation>Durchlauf −6…+6 px</translation>
    </message>
    <message>
        <source>Run the network on the picture shifted by every amount from −6 to +6 pixels and plot each class&apos;s probability</source>
        <translation>Das Netz auf das Bild anwenden, um jeden Betrag von −6 bis +6 Pixel verschoben, und die Wahrscheinlichkeit jeder Klasse zeichnen</translation>
    </message>
    <message>
        <source>shift (pixels)</source>
        <translation>Verschiebung (Pixel)</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>Wahrscheinlichkeit</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Zurücksetzen</translation>
    </message>
    <message>
        <source>Back to the trained weights, the unshifted input and temperature 1</source>
        <translation>Zurück zu den trainierten Gewichten, der unverschobenen Eingabe und Temperatur 1</translation>
    </message>
    <message>
        <source>input channel 0 (the picture)</source>
        <translation>Eingabekanal 0 (das Bild)</translation>
    </message>
    <message>
        <source>input channel 0 of {0} (the table edits that one only)</source>
        <translation>Eingabekanal 0 von {0} (die Tabelle bearbeitet nur diesen)</translation>
    </message>
    <message>
        <source>Test accuracy: once the weights have been still for {0} s…</source>
        <translation>Testgenauigkeit: sobald die Gewichte {0} s still stehen…</translation>
    </message>
    <message>
        <source>T = 1 (softmax inside the model)</source>
        <translation>T = 1 (Softmax im Modell)</translation>
    </message>
    <message>
        <source>No test accuracy: {0}.</source>
        <translation>Keine Testgenauigkeit: {0}.</translation>
    </message>
    <message>
        <source>Test accuracy: computing…</source>
        <translation>Testgenauigkeit: wird berechnet…</translation>
    </message>
    <message>
        <source>Load MNIST to see the test accuracy of the modified network: the Train tab&apos;s Start offers to download it or find its folder.</source>
        <translation>Lade MNIST, um die Testgenauigkeit des veränderten Netzes zu sehen: »Start« im Tab Training bietet an, es herunterzuladen oder seinen Ordner zu suchen.</translation>
    </message>
    <message>
        <source>The test accuracy could not be computed: {0}</source>
        <translation>Die Testgenauigkeit konnte nicht berechnet werden: {0}</translation>
    </message>
    <message>
        <source>Test accuracy on {0} MNIST digits: {1} %</source>
        <translation>Testgenauigkeit auf {0} MNIST-Ziffern: {1} %</translation>
    </message>
    <message>
        <source>(trained: {0} %, {1} points)</source>
        <translation>(trainiert: {0} %, {1} Prozentpunkte)</translation>
    </message>
    <message>
        <source>shift: {0} px right, {1} px down</source>
        <translation>verschoben: {0} px rechts, {1} px unten</translation>
    </message>
    <message>
        <source>input shifted ({0}, {1})</source>
        <translation>Eingabe verschoben ({0}, {1})</translation>
    </message>
    <message>
        <source>temperature {0}</source>
        <translation>Temperatur {0}</translation>
    </message>
    <message>
        <source>What if: {0}. Every view shows the changed network; Reset brings back the trained one (Save and training use it anyway).</source>
        <translation>Was wäre, wenn: {0}. Jede Ansicht zeigt das veränderte Netz; »Zurücksetzen« holt das trainierte zurück (Speichern und Training verwenden ohnehin dieses).</translation>
    </message>
    <message>
        <source>The trained network, unchanged.</source>
        <translation>Das trainierte Netz, unverändert.</translation>
    </message>
</context>
<context>
    <name>WhyView</name>
    <message>
        <source>Gradient</source>
        <translation>Gradient</translation>
    </message>
    <message>
        <source>Occlusion</source>
        <translation>Verdeckung</translation>
    </message>
    <message>
        <source>how much the score of {target} rises if a pixel gets brighter</source>
        <translation>wie stark der Score von {target} steigt, wenn ein Pixel heller wird</translation>
    </message>
    <message>
        <source>how much the probability of {target} drops when a 5×5 patch there is blanked</source>
        <translation>wie stark die Wahrscheinlichkeit von {target} fällt, wenn dort ein 5×5-Ausschnitt gelöscht wird</translation>
    </message>
    <message>
        <source>where the feature maps of {layer} hold evidence for {target}</source>
        <translation>wo die Merkmalskarten von {layer} Belege für {target} enthalten</translation>
    </message>
    <message>
        <source>the prediction</source>
        <translation>die Vorhersage</translation>
    </message>
    <message>
        <source>The class whose evidence the maps show: the network&apos;s answer, or another one (&quot;why not 8?&quot;)</source>
        <translation>Die Klasse, deren Belege die Karten zeigen: die Antwort des Netzes oder eine andere (»warum nicht 8?«)</translation>
    </message>
    <message>
        <source>Compare with random weights</source>
        <translation>Mit Zufallswerten vergleichen</translation>
    </message>
    <message>
        <source>Sanity check: compute the same maps for the network with its weights replaced by random ones. A map that hardly changes shows the picture, not what was learned.</source>
        <translation>Plausibilitätsprüfung: dieselben Karten für das Netz berechnen, dessen Gewichte durch zufällige ersetzt sind. Eine Karte, die sich kaum ändert, zeigt das Bild, nicht das Gelernte.</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>Erkläre</translation>
    </message>
    <message>
        <source>Draw a digit first</source>
        <translation>Zeichne zuerst eine Ziffer</translation>
    </message>
    <message>
        <source>Open a picture first</source>
        <translation>Öffne zuerst ein Bild</translation>
    </message>
    <message>
        <source>The maps could not be computed: {0}</source>
        <translation>Die Karten konnten nicht berechnet werden: {0}</translation>
    </message>
    <message>
        <source>Why not {0}?</source>
        <translation>Warum nicht {0}?</translation>
    </message>
    <message>
        <source>Why {0}?</source>
        <translation>Warum {0}?</translation>
    </message>
    <message>
        <source>Probability of {0}: {1} %</source>
        <translation>Wahrscheinlichkeit von {0}: {1} %</translation>
    </message>
    <message>
        <source>Probability of {0} at T = 1 (the network&apos;s own, not the What-if temperature): {1} %</source>
        <translation>Wahrscheinlichkeit von {0} bei T = 1 (die des Netzes, nicht die Was-wäre-wenn-Temperatur): {1} %</translation>
    </message>
    <message>
        <source>{0} at {1}</source>
        <translation>{0} bei {1}</translation>
    </message>
    <message>
        <source>random weights</source>
        <translation>zufällige Gewichte</translation>
    </message>
    <message>
        <source>no map</source>
        <translation>keine Karte</translation>
    </message>
    <message>
        <source>similarity {0}</source>
        <translation>Ähnlichkeit {0}</translation>
    </message>
    <message>
        <source>Red speaks for {0}, blue against it (white: 0; each map&apos;s scale is written under it). </source>
        <translation>Rot spricht für {0}, Blau dagegen (Weiß: 0; die Skala jeder Karte steht darunter). </translation>
    </message>
    <message>
        <source>no convolution layer</source>
        <translation>keine Faltungsschicht</translation>
    </message>
    <message>
        <source>scale ±{0}</source>
        <translation>Skala ±{0}</translation>
    </message>
    <message>
        <source>every map changed, so the maps show what the network learned</source>
        <translation>jede Karte hat sich geändert, also zeigen die Karten, was das Netz gelernt hat</translation>
    </message>
    <message>
        <source>a map that stays alike ({0} or more) shows the picture more than what the network learned</source>
        <translation>eine Karte, die ähnlich bleibt ({0} oder mehr), zeigt eher das Bild als das, was das Netz gelernt hat</translation>
    </message>
    <message>
        <source>Similarity: rank correlation of each map with its random-weights twin (1: same, 0: unrelated); {0}.</source>
        <translation>Ähnlichkeit: Rangkorrelation jeder Karte mit ihrem Zwilling mit zufälligen Gewichten (1: gleich, 0: unabhängig); {0}.</translation>
    </message>
</context>
</TS>
