"""German sentences about the car.

Articles and prepositions are accepted in every case and gender ("vom Auto",
"am Golf", "beim Wagen", "des Autos"): speech recognition writes what was
said, and people do not always decline correctly. Words a home also has
(Batterie, Temperatur, Tür, Fenster, Heizung, Dach) need the car; words only a
car has (Reichweite, Tankfüllstand, Kilometerstand, Reifendruck, Kofferraum,
Standheizung) do not.
"""

from __future__ import annotations

from ..grammar import Language, VoiceIntent as V

_OFFEN_ZU = (
    "(offen|auf|geöffnet|zu|geschlossen|angelehnt|richtig zu|richtig"
    " geschlossen|nicht zu|nicht geschlossen|alle zu|alle geschlossen|alle"
    " offen|noch offen|noch auf|sperrangelweit offen|ganz zu)"
)
_FENSTER_ZU = (
    f"({_OFFEN_ZU[1:-1]}|oben|unten|hochgefahren|runtergefahren|heruntergelassen"
    "|runtergelassen|einen Spalt offen|gekippt|hochgelassen|alle oben)"
)
_ODER = "[oder|oder nicht|gell|ne|nicht wahr|richtig|oder so|hoffentlich|hoff ich]"

FRAGMENTS: dict[str, str] = {
    "<art>": (
        "[der|die|das|den|dem|des|mein|meine|meinem|meinen|meiner|meines|unser"
        "|unsere|unserem|unseren|unserer|unseres|dieses|diesem|diesen]"
    ),
    "<autowort>": (
        "(Auto|Autos|Wagen|Wagens|Fahrzeug|Fahrzeugs|Fahrzeuges|Karre|Kiste"
        "|Elektroauto|E-Auto|E Auto|Hybrid|PKW|Pkw|Schlitten)"
    ),
    "<car>": "<art> (<autowort>|<names>)",
    "<prep_car>": (
        "((von|vom|am|an|beim|bei|im|in|für|fürs|mit) [<art>] (<autowort>|<names>)"
        "|(des|meines|unseres|dieses) (<autowort>|<names_s>))"
    ),
    "<im_car>": "((im|in|drin im|drinnen im|innen im) [<art>] (<autowort>|<names>))",
    "<pre>": (
        "[ähm|äh|öhm|hm|hmm|hey|hallo|ok|okay|also|so|sag mal|na|und|jetzt"
        "|bitte|ach|übrigens|kurze Frage|mal|du|noch was|eine Frage]"
    ),
    "<ask>": (
        "[(kannst|könntest) du mir [bitte|mal] sagen|sag mir [mal|bitte]|sag"
        " [mal]|weißt du|ich (will|möchte|würde gern|würde gerne) wissen|ich"
        " frage mich|(kannst|könntest) du [mal|bitte] (nachsehen|nachschauen"
        "|schauen|prüfen|checken|gucken)|schau [mal]|guck [mal]|prüf [mal]|check"
        " [mal]]"
    ),
    "<tell>": (
        "((kannst|könntest) du mir [bitte|mal] sagen|sag mir [mal|bitte]|sag"
        " [mal|bitte]|weißt"
        " du|ich (will|möchte|würde gern|würde gerne) wissen|ich frage mich"
        "|(kannst|könntest) du [mal|bitte] (nachsehen|nachschauen|schauen"
        "|prüfen|checken|gucken)|schau [mal]|guck [mal]|prüf [mal]|check [mal])"
    ),
    "<ask2>": (
        "[(kannst|könntest|würdest) du [bitte|mal|bitte mal|mal bitte]|bitte"
        "|mal|(ich möchte|ich will|ich hätte gern) dass du|jetzt]"
    ),
    "<post>": (
        "[noch|gerade|jetzt|aktuell|momentan|eigentlich|denn|bitte|mal|schon"
        "|überhaupt|im Moment|zurzeit|heute|grade|so|ungefähr|etwa|genau]"
        " [bitte|danke|noch|denn|eigentlich]"
    ),
    "<now>": (
        "[noch|schon|gerade|jetzt|eigentlich|denn|auch|wirklich|überhaupt|grade"
        "|doch|ja|wohl|halt|mal|bitte]"
    ),
    "<was>": (
        "(was (ist|sind|sagt|zeigt|macht)|wie (ist|sind|hoch ist|viel ist|groß"
        " ist|lautet|steht es mit|steht's mit|sieht es mit|sieht's mit|ist es"
        " mit|viel)|sag mir|zeig mir|nenn mir|und|was ist mit|prüf|check|gib"
        " mir|wie ist der Stand (der|des|beim))"
    ),
    "<adj>": (
        "[aktuelle|aktueller|aktuellen|momentane|momentaner|momentanen|restliche"
        "|restlicher|restlichen|verbleibende|verbleibender|verbleibenden"
        "|derzeitige|derzeitiger|jetzige|jetziger|noch verfügbare]"
    ),
    "<units_distance>": "(Kilometer|km|Kilometern|Meilen|Kilometerchen)",
    "<auf_temp>": "auf {temperature} [Grad|Grad Celsius|Celsius|Fahrenheit|°]",
    "<wer>": "(ich|wir|du|jemand|einer|man|meine Frau|mein Mann|mein Partner)",
    "<hab>": "(hab|habe|haben|hast|hat|hatte|hatten)",
    "<seite>": (
        "[vorne|hinten|vordere|hintere|vorderen|hinteren|linke|rechte|linken"
        "|rechten] [links|rechts|linke|rechte|linken|rechten]"
    ),
    # What the car has.
    "<reichweite_n>": (
        "(Reichweite|Restreichweite|Gesamtreichweite|elektrische Reichweite"
        "|Rest-Reichweite|Reichweite insgesamt|Rest Reichweite)"
    ),
    "<tank_car_n>": (
        "(Spritstand|Benzinstand|Dieselstand|Kraftstoffstand|Kraftstoff|Sprit"
        "|Benzin|Diesel|Kraftstoffvorrat|Tankanzeige)"
    ),
    # A home may have a heating oil tank: these need the car.
    "<tank_n>": (
        "(<tank_car_n>|Tank|Füllstand|Tankfüllstand|Tankinhalt|Tankstand"
        "|Füllstand des Tanks|Tankfüllung|Tankuhr)"
    ),
    "<kraftstoff>": "(Sprit|Benzin|Diesel|Kraftstoff|Treibstoff|Super)",
    "<akku_car_n>": (
        "(Ladestand|Akkustand|Ladezustand|Akkuladestand|Akkufüllstand|Fahrakku|Traktionsbatterie|Hochvoltbatterie|Hochvoltakku"
        "|Antriebsbatterie|Autoakku|Autobatterie|Antriebsakku|HV Batterie"
        "|HV-Batterie)"
    ),
    "<akku_n>": (
        "(<akku_car_n>|Akku|Akkustand|Ladestand|Ladezustand|Batteriestand"
        "|Batterie|Batterieladung|Ladung|Akkuladung|Akkuladestand|SOC|State of"
        " Charge|Akkufüllstand|Batteriefüllstand|Akkustatus|Batteriezustand"
        "|Akkuzustand)"
    ),
    "<laden_n>": (
        "(Ladeleistung|Ladezeit|Restladezeit|Ladestatus|Ladevorgang|Ladedauer"
        "|Ladefortschritt|Ladegeschwindigkeit|verbleibende Ladezeit)"
    ),
    "<angesteckt>": (
        "(angesteckt|eingesteckt|angeschlossen|am Strom|am Kabel|an der"
        " Ladestation|an der Wallbox|an der Steckdose|am Ladekabel|an der Säule"
        "|an der Ladesäule|eingestöpselt|angestöpselt|am Laden|beim Laden|am"
        " Netz|an der Ladesaeule|dran|verbunden)"
    ),
    "<kabel>": ("(Ladekabel|Kabel|Stecker|Ladestecker|Typ 2 Kabel|Ladeanschluss)"),
    "<voll>": (
        "(voll|vollgeladen|voll geladen|fertig geladen|aufgeladen|geladen|fertig"
        "|ganz voll|komplett geladen|komplett voll|auf hundert Prozent|bei"
        " hundert Prozent|auf 100 Prozent|fertig mit Laden|wieder voll)"
    ),
    "<km_stand_n>": (
        "(Kilometerstand|Tachostand|Gesamtkilometer|Laufleistung"
        "|Kilometerzähler|Meilenstand|Odometer|Gesamtkilometerstand|km-Stand|km"
        " Stand|KM-Stand|Kilometer insgesamt|Gesamtfahrleistung|Tacho"
        "|Kilometerleistung)"
    ),
    "<reifendruck_n>": "(<reifendruck_base> [<seite>])",
    "<reifendruck_base>": (
        "(Reifendruck|Reifendrücke|Luftdruck in den Reifen|Luftdruck der Reifen"
        "|Reifenluftdruck|Druck in den Reifen|Reifenfülldruck|Reifendruckanzeige"
        "|Reifenstatus|Druck der Reifen)"
    ),
    "<reifen>": "[<seite>] (Reifen|Räder|Rad|Reifens)",
    "<ok>": (
        "(ok|okay|in Ordnung|gut|platt|zu niedrig|zu hoch|richtig|richtig"
        " aufgepumpt|normal|niedrig|korrekt|fit|halbwegs ok|voll|leer|schwach"
        "|tot|alle|fertig|gesund|geladen)"
    ),
    "<lv_car_n>": (
        "((12|zwölf) [Volt|V] (Batterie|Akku)|12-Volt-Batterie|12-Volt-Akku"
        "|12V-Batterie|12V Batterie|12V-Akku|Zwölf-Volt-Batterie|Zwölfvoltbatterie"
        "|Starterbatterie|Bordbatterie|Bordnetzbatterie|Versorgungsbatterie"
        "|Starterakku|Bordnetzakku|12 Volt Bordnetz|Bordnetz)"
    ),
    "<lv_n>": "(<lv_car_n>|kleine Batterie|normale Batterie|andere Batterie)",
    "<warm>": (
        "(warm|kalt|heiß|kühl|eisig|frostig|warm genug|angenehm|mollig|kuschelig"
        "|zu kalt|zu warm|zu heiß|schön warm|bitterkalt|saukalt|arschkalt"
        "|gemütlich|eiskalt)"
    ),
    "<temp_n>": (
        "(Innentemperatur|Temperatur im Innenraum|Innenraumtemperatur|Temperatur"
        "|Temperatur innen|Innenraum-Temperatur|Temperatur drinnen"
        "|Kabinentemperatur)"
    ),
    "<aussen_n>": (
        "(Außentemperatur|Aussentemperatur|Temperatur draußen|Temperatur"
        " draussen|Außentemperaturen|Temperatur außen|Umgebungstemperatur)"
    ),
    "<heizung_car>": (
        "(Standheizung|Vorklimatisierung|Vorheizung|Vorwärmung"
        "|Fernklimatisierung|Standklimatisierung|Standlüftung|Webasto|Vorheizen"
        "|Vorklimatisieren|Standklima)"
    ),
    "<heizung_opt>": "(<heizung_car> [<prep_car>]|<heizung> <prep_car>)",
    "<heizung>": (
        "(<heizung_car>|Heizung|Klimaanlage|Klima|Lüftung|Klimatisierung"
        "|Gebläse|Sitzheizung|Scheibenheizung|Enteisung|Entfroster)"
    ),
    "<an_aus>": (
        "(an|aus|ein|eingeschaltet|ausgeschaltet|aktiv|in Betrieb|am Laufen"
        "|angeschaltet|abgeschaltet|angegangen|gestartet|inaktiv|aktiviert"
        "|deaktiviert|noch an|schon an|an oder aus)"
    ),
    "<tuer_n>": (
        "([<seite>] (Tür|Türen|Tueren|Tuer|Autotür|Autotüren|Seitentür"
        "|Seitentüren|Schiebetür)|Fahrertür|Beifahrertür|Hintertür|Hintertüren"
        "|Fahrertüre|Beifahrertüre|Türe|Autotüre)"
    ),
    "<fenster_n>": (
        "([<seite>] (Fenster|Autofenster|Seitenfenster|Scheibe|Scheiben"
        "|Seitenscheibe|Seitenscheiben|Fensterscheibe|Fensterscheiben)"
        "|Fahrerfenster|Beifahrerfenster|Heckscheibe)"
    ),
    "<kofferraum_n>": (
        "(Kofferraum|Kofferraumdeckel|Heckklappe|Kofferraumklappe|Heckdeckel"
        "|Kofferraumtür|Heckklappe vom Kofferraum|Koffer)"
    ),
    "<haube_n>": (
        "(Motorhaube|Fronthaube|Frunk|vordere Haube|Haube|Motorraum"
        "|Motorraumdeckel|Frontkofferraum)"
    ),
    "<dach_car_n>": (
        "(Schiebedach|Sonnendach|Panoramadach|Glasdach|Verdeck|Hubdach"
        "|Schiebe-Hebe-Dach|Schiebehebedach|Cabriodach|Faltdach)"
    ),
    "<dach_n>": "(<dach_car_n>|Dach)",
    "<autotuer_n>": (
        "(Autotür|Autotüren|Fahrertür|Beifahrertür|Autotüre|Fahrertüre|Beifahrertüre)"
    ),
    "<autofenster_n>": (
        "(Autofenster|Fahrerfenster|Beifahrerfenster|Autoscheibe|Autoscheiben)"
    ),
    "<innen_n>": "(Innentemperatur|Innenraumtemperatur|Kabinentemperatur)",
}


def _value(noun: str, *, car_only: bool) -> tuple[str, ...]:
    """Questions for a value: "was ist die Reichweite vom Auto", "Akkustand Auto"."""
    templates: tuple[str, ...] = (
        f"<pre> <ask> <was> [<art>] <adj> {noun} <prep_car> <post> [aus|an]",
        f"<pre> <ask> <was> <names_s> <adj> {noun} <post>",
        f"<pre> <ask> {noun} <prep_car> <post>",
        f"<pre> <ask> {noun} [<art>] (<autowort>|<names>)",
        (
            f"<pre> <tell> (wie hoch|was|wie viel|wie) [<art>] <adj> {noun} <prep_car>"
            " (ist|sind|steht|aussieht|liegt)"
        ),
    )
    if car_only:
        templates += (
            f"<pre> <ask> <was> [<art>] <adj> {noun} <post> [aus|an]",
            f"<pre> <ask> [<art>] <adj> {noun} <post>",
            (
                f"<pre> <tell> (wie hoch|was|wie viel|wie) [<art>] <adj> {noun}"
                " (ist|sind|steht|aussieht|liegt)"
            ),
        )
    return templates


def _opening(noun: str, *, car_only: bool) -> tuple[str, ...]:
    """Yes/no questions about doors, windows, lids: one or all of them."""
    state = _FENSTER_ZU  # one set for all: the trigger merges these templates
    some = (
        "[die|der|das|den|dem|eine|ein|einer|einen|alle|irgendeine|irgendein"
        "|irgendeinen|beide|sämtliche|meine|mein|meinen|unsere|unseren|jede|jeder"
        "|jeden|noch eine|noch ein|noch einen]"
    )
    templates: tuple[str, ...] = (
        (
            f"<pre> <ask> (ist|sind|war|waren) {some} {noun} <prep_car> <now> [alle]"
            f" {state} <post>"
        ),
        (
            f"<pre> <ask> (ist|sind|war|waren) <prep_car> {some} {noun} <now> [alle]"
            f" {state} <post>"
        ),
        (
            f"<pre> <ask> (ist|sind|war|waren) {some} {noun} <now> [alle] {state}"
            f" <prep_car> <post>"
        ),
        (
            f"<pre> <ask> <hab> <wer> <prep_car> {some} {noun} <now> (offen|auf)"
            " (gelassen|gelasssen|stehen lassen)"
        ),
        (
            f"<pre> <ask> <hab> <wer> {some} {noun} <prep_car> <now> (offen|auf)"
            " (gelassen|stehen lassen)"
        ),
        (
            f"<pre> <ask> <hab> <wer> {some} {noun} <prep_car> <now> [richtig]"
            " (zugemacht|geschlossen|zu gemacht|aufgemacht|geöffnet)"
        ),
        (
            f"<pre> <ask> <hab> <wer> <prep_car> {some} {noun} <now> [richtig]"
            " (zugemacht|geschlossen|zu gemacht|aufgemacht|geöffnet)"
        ),
        f"<pre> {some} {noun} <prep_car> (ist|sind) <now> [alle] {state} {_ODER}",
        f"<pre> <prep_car> (ist|sind) {some} {noun} <now> [alle] {state} {_ODER}",
        (f"<pre> <tell> ob {some} {noun} <prep_car> <now> [alle] {state} (ist|sind)"),
        (
            f"<pre> <ask> (was ist mit|wie ist es mit|wie sieht es mit|wie sieht's"
            f" mit|und) {some} {noun} <prep_car> [aus]"
        ),
    )
    if car_only:
        templates += (
            (
                f"<pre> <ask> (ist|sind|war|waren) {some} {noun} <now> [alle] {state}"
                " <post>"
            ),
            (
                f"<pre> <ask> <hab> <wer> {some} {noun} <now> (offen|auf) (gelassen"
                "|stehen lassen)"
            ),
            (
                f"<pre> <ask> <hab> <wer> {some} {noun} <now> [richtig] (zugemacht"
                "|geschlossen|zu gemacht)"
            ),
            f"<pre> {some} {noun} (ist|sind) <now> {state} {_ODER}",
            f"<pre> <tell> ob {some} {noun} <now> {state} (ist|sind)",
        )
    return templates


TEMPLATES: dict[V, tuple[str, ...]] = {
    V.RANGE: (
        *_value("<reichweite_n>", car_only=True),
        (
            "<pre> <ask> wie weit (kann|komm|komme|kommen|können|könnte|würde|schaff"
            "|schaffe|fahr|fahre) (ich|wir|man) <now> [fahren|kommen] [mit <art>"
            " (<autowort>|<names>)|mit dem Rest|mit der Ladung|mit dem Tank|mit dem"
            " Akku|mit der Akkuladung|mit dem Sprit|elektrisch] [fahren|kommen]"
            " <post>"
        ),
        (
            "<pre> <tell> wie weit (ich|wir|man) [mit <car>] <now> [noch] (fahren"
            " kann|komme|kommen|fahren können|schaffe|schaffen|kommen kann|fahre)"
        ),
        "<pre> <tell> wie weit <car> <now> (fahren kann|kommt|fährt|schafft)",
        (
            "<pre> <ask> wie weit (kann|kommt|fährt|schafft|könnte|würde) <car>"
            " <now> [fahren|kommen] [mit dem Rest|mit der Ladung|mit dem Tank]"
            " <post>"
        ),
        (
            "<pre> <ask> wie weit (reicht|reichen|langt) <art> (Sprit|Akku|Strom"
            "|Ladung|Tank|Batterie|Tankfüllung|Benzin|Diesel|Reichweite) <prep_car>"
            " <now> <post>"
        ),
        (
            "<pre> <ask> wie weit (reicht|reichen|langt) <art> (Sprit|Akku|Ladung"
            "|Tankfüllung|Benzin|Diesel|Reichweite) <now> <post>"
        ),
        (
            "<pre> <ask> wie (viel|viele) <reichweite_n> (hat|habe|haben|hab|bleiben"
            "|bleibt) [ich|wir|mir|uns|<car>] <now> [übrig|zur Verfügung|drin] [<prep_car>]"
            " <post>"
        ),
        (
            "<pre> <ask> wie (viel|viele) <units_distance> [Reichweite] (hat|habe"
            "|haben|hab|bleiben|bleibt|sind) [ich|wir|<car>|es] [denn|eigentlich]"
            " (noch|übrig|noch übrig|zur Verfügung|noch drin|noch möglich)"
            " [<prep_car>] <post>"
        ),
        (
            "<pre> <ask> wie (viel|viele) <units_distance> (kann|komm|komme"
            "|schaff|schaffe|fahr|fahre) (ich|wir|man) <now> [fahren|schaffen"
            "|kommen] [<prep_car>] <post>"
        ),
        (
            "<pre> <ask> wie (viel|viele) <units_distance> (kann|schafft|fährt"
            "|kommt) <car> <now> [fahren|schaffen|weit]"
        ),
        (
            "<pre> <ask> wie (viel|viele) <units_distance> (sind|gehen) <now>"
            " [drin|übrig|möglich] <prep_car>"
        ),
        (
            "<pre> <ask> (reicht|reichen|langt) <art> (Reichweite|Sprit|Akku"
            "|Ladung|Tank|Strom|Batterie|Benzin|Diesel) [<prep_car>] <now> (für|bis"
            "|nach|zur|zum) {trip}"
        ),
        (
            "<pre> <ask> (komm|komme|kommen|schaff|schaffe|schaffen) (ich|wir)"
            " [mit <car>] <now> (bis|nach|zur|zum) {trip} [ohne (laden|tanken|zu"
            " laden|zu tanken|Ladestopp|Tankstopp)]"
        ),
        (
            "<pre> <ask> (was ist|wie hoch ist|wie groß ist) die [restliche]"
            " Reichweite (von|vom|des) {car} <post>"
        ),
        (
            "<pre> <ask> wie weit (kann|komme) ich [noch] mit (dem|der|meinem"
            "|meiner) {car} [fahren|kommen]"
        ),
    ),
    V.FUEL: (
        *_value("<tank_car_n>", car_only=True),
        *_value("<tank_n>", car_only=False),
        (
            "<pre> <ask> wie (viel|viele) (<kraftstoff>|Liter [<kraftstoff>])"
            " (hab|habe|haben|ist|sind|hat) [ich|wir|<car>|es] <now> [drin|übrig"
            "|im Tank|getankt] [<prep_car>|im Tank] <post>"
        ),
        (
            "<pre> <ask> wie (viel|viele) (<kraftstoff>|Liter [<kraftstoff>]) (ist"
            "|sind|hat es|gibt es) <now> (im Tank|drin) <prep_car>"
        ),
        (
            "<pre> <ask> wie (voll|leer) ist <art> (Tank|Benzintank|Dieseltank"
            "|Spritank|Kraftstofftank) <prep_car> <now>"
        ),
        (
            "<pre> <ask> wie (voll|leer) ist <art> (Benzintank|Dieseltank"
            "|Kraftstofftank) <now>"
        ),
        (
            "<pre> <ask> (ist|wird) <art> (Tank|Benzintank|Dieseltank) <prep_car>"
            " <now> (voll|leer|halb voll|halbleer|fast leer|bald leer|auf Reserve"
            "|in der Reserve|knapp)"
        ),
        (
            "<pre> <ask> (ist|wird) <art> (Tank|Benzintank|Dieseltank) <now> (voll"
            "|leer|halb voll|fast leer|bald leer|auf Reserve) <prep_car>"
        ),
        (
            "<pre> <ask> (muss|müsste|sollte|soll) (ich|wir|man) <now> [bald|heute"
            "|morgen|demnächst] [mit <car>|<car>] <now> [bald|heute|morgen"
            "|demnächst] (tanken|volltanken|nachtanken|zur Tankstelle|an die Tanke"
            "|tanken fahren|Sprit holen)"
        ),
        (
            "<pre> <ask> (muss|müsste|sollte|braucht) <car> <now> [bald|heute"
            "|demnächst] (getankt werden|Sprit|Benzin|Diesel|neuen Sprit|voll"
            " getankt werden|zur Tankstelle|tanken)"
        ),
        (
            "<pre> <ask> (ist|läuft|fährt) <car> <now> (auf Reserve|fast leer|bald"
            " leer|auf Reserve unterwegs|im Reservebereich)"
        ),
        (
            "<pre> <ask> (hat|hab|habe|haben) (ich|wir|<car>) <now> genug"
            " (<kraftstoff>|im Tank)"
        ),
        (
            "<pre> <ask> (ist|gibt es|gibt's) <now> genug <kraftstoff> (<im_car>"
            "|<prep_car>|im Tank)"
        ),
        "<pre> <ask> wie viel (<kraftstoff>) hat <car> <now>",
        "<pre> <ask> wie viel (<kraftstoff>) hat {car} <now>",
    ),
    V.CHARGE: (
        *_value("<akku_car_n>", car_only=True),
        *_value("<akku_n>", car_only=False),
        (
            "<pre> <ask> wie (voll|leer|weit|viel) ist <car> [schon|noch] (geladen"
            "|aufgeladen)"
        ),
        (
            "<pre> <ask> wie (voll|leer) ist <art> (Akku|Batterie|Fahrakku|Autoakku"
            "|Autobatterie) <prep_car> <now>"
        ),
        (
            "<pre> <ask> wie (voll|leer) ist <art> (Fahrakku|Autoakku|Autobatterie"
            "|Antriebsbatterie|Hochvoltbatterie) <now>"
        ),
        (
            "<pre> <ask> wie (viel|viele) (Prozent|Strom|Akku|Ladung|Energie"
            "|Batterie|Saft|kWh|Kilowattstunden) (hat|hab|habe|haben|ist|sind|steckt"
            "|steckt noch) [ich|wir|<car>] <now> [drin|übrig|im Akku|in der"
            " Batterie] [<prep_car>] <post>"
        ),
        (
            "<pre> <ask> wie (viel|viele) Prozent (Akku|Batterie|Ladung|Strom) (hat"
            "|haben) <car> <now>"
        ),
        (
            "<pre> <ask> (ist|wird) <art> <akku_car_n> <now> (voll|leer|geladen|fast"
            " leer|bald leer|schwach|niedrig|ok|okay|gut)"
        ),
        (
            "<pre> <ask> wie (viel|viele) (Prozent|Ladung|Strom|kWh) (hat|haben"
            "|zeigt) <art> (Akku|Batterie|Fahrakku|Autoakku) <prep_car> <now>"
            " [noch|an]"
        ),
        (
            "<pre> <ask> (ist|wird) <art> (Akku|Batterie) <prep_car> <now> (voll"
            "|leer|geladen|fast leer|bald leer|schwach|niedrig|ok|okay|gut)"
        ),
        (
            "<pre> <ask> (ist|wird) <car> <now> (voll geladen|vollgeladen"
            "|aufgeladen|geladen|fast leer|leer|voll|fahrbereit)"
        ),
        (
            "<pre> <ask> (muss|müsste|sollte|soll) (ich|wir|man) <car> <now> [bald"
            "|heute|heute Nacht|demnächst|noch] (laden|aufladen|anstecken"
            "|anschließen|an die Wallbox hängen|an den Strom hängen)"
        ),
        (
            "<pre> <ask> (muss|müsste|sollte|braucht) <car> <now> [bald|heute"
            "|demnächst] (geladen werden|Strom|aufgeladen werden|an den Strom|an"
            " die Steckdose|an die Wallbox)"
        ),
    ),
    V.CHARGING: (
        (
            "<pre> <ask> (lädt|läd|laedt|tankt) <car> <now> [Strom|auf] [oder"
            " nicht] <post>"
        ),
        "<pre> <ask> (lädt|läd|laedt) <car> <now> [Strom] [<angesteckt>]",
        (
            "<pre> <ask> (ist|hängt|steht|haengt) <car> <now> <angesteckt> [oder"
            " nicht] <post>"
        ),
        (
            "<pre> <ask> (ist|steckt|hängt) <art> <kabel> <prep_car> <now>"
            " (eingesteckt|angesteckt|drin|angeschlossen|dran|verbunden|richtig"
            " drin|im Auto)"
        ),
        (
            "<pre> <ask> (ist|steckt|hängt) <art> <kabel> <now> (eingesteckt"
            "|angesteckt|drin|angeschlossen|dran|verbunden) <prep_car>"
        ),
        (
            "<pre> <ask> <hab> <wer> <car> <now> (angesteckt|eingesteckt"
            "|angeschlossen|an die Wallbox gehängt|an den Strom gehängt|ans Laden"
            " gehängt|an die Ladesäule gehängt|eingestöpselt|an die Steckdose"
            " gehängt|aufgeladen|geladen)"
        ),
        (
            "<pre> <ask> <hab> <wer> <now> [vergessen] <car> (anzustecken"
            "|einzustecken|anzuschließen|zu laden|aufzuladen)"
        ),
        (
            "<pre> <ask> (wann|um wie viel Uhr|bis wann|ab wann|wie bald) (ist|wird"
            "|wäre) <car> <now> <voll> [sein]"
        ),
        (
            "<pre> <ask> (wann|um wie viel Uhr|bis wann) (ist|wird) <art>"
            " (Ladevorgang|Laden|Aufladen) <prep_car> <now> (fertig|beendet|vorbei"
            "|abgeschlossen|durch)"
        ),
        (
            "<pre> <ask> wie lange (lädt|läd|braucht|dauert|hängt|muss) <car> <now>"
            " [zum Laden|zum Aufladen|bis (es|er|sie) voll ist|bis <voll>|an der"
            " Wallbox|laden|bis zum Ende|am Strom]"
        ),
        (
            "<pre> <ask> wie lange (dauert|braucht|geht) <art> (Laden|Aufladen"
            "|Ladevorgang|Ladung) <prep_car> <now>"
        ),
        (
            "<pre> <ask> wie lange (dauert|braucht|geht) <art> (Laden|Aufladen"
            "|Ladevorgang) <now> <prep_car>"
        ),
        (
            "<pre> <ask> wie lange [noch|dauert es noch|braucht es noch|dauert es"
            "|braucht es|geht es noch|ist es noch] bis <car>"
            " <now> <voll> ist"
        ),
        (
            "<pre> <ask> (mit|bei) wie (viel|viele) (kW|Kilowatt|Leistung|Ampere)"
            " (lädt|läd|laedt) <car> <now>"
        ),
        "<pre> <ask> wie (schnell|stark|flott) (lädt|läd|laedt) <car> <now>",
        *_value("<laden_n>", car_only=False),
        (
            "<pre> <ask> (ist|war) <car> <now> (fertig geladen|fertig mit Laden"
            "|durchgeladen|mit dem Laden fertig)"
        ),
        (
            "<pre> <ask> (läuft|klappt|funktioniert) <art> (Laden|Ladevorgang"
            "|Aufladen) <prep_car> <now>"
        ),
        (
            "<pre> <tell> ob <car> <now> (lädt|angesteckt ist|am Strom hängt"
            "|eingesteckt ist|angeschlossen ist)"
        ),
    ),
    V.MILEAGE: (
        *_value("<km_stand_n>", car_only=True),
        (
            "<pre> <ask> wie (viele|viel) <units_distance> (hat|ist|sind) <car>"
            " <now> [insgesamt|bisher|mittlerweile|inzwischen] [schon] (drauf"
            "|gefahren|gelaufen|auf dem Tacho|runter|auf der Uhr|auf dem Buckel"
            "|gefahren worden|hinter sich|auf dem Zähler)"
        ),
        (
            "<pre> <ask> wie (viele|viel) <units_distance> (hat|ist|sind) <car>"
            " <now> [insgesamt|bisher]"
        ),
        (
            "<pre> <ask> wie (viele|viel) <units_distance> (bin|sind|haben|habe"
            "|hab) (ich|wir) [mit <car>] <now> [insgesamt|bisher] (gefahren"
            "|gefahren worden|runtergerissen)"
        ),
        "<pre> <ask> wie viel ist <car> <now> [insgesamt|bisher] gefahren",
        (
            "<pre> <ask> was (zeigt|sagt|steht auf) <art> (Tacho|Kilometerzähler"
            "|Kilometerstand|Zähler) <prep_car> <now> [an]"
        ),
        (
            "<pre> <ask> (was ist|wie ist|wie hoch ist) der (Kilometerstand"
            "|Tachostand) (von|vom|des) {car} <post>"
        ),
    ),
    V.TIRE_PRESSURE: (
        *_value("<reifendruck_n>", car_only=True),
        (
            "<pre> <ask> (stimmt|passt|ist) <art> (<reifendruck_n>|Luftdruck)"
            " [<prep_car>] <now> [in Ordnung|ok|okay|richtig|gut|noch]"
        ),
        (
            "<pre> <ask> (brauchen|braucht) <art> <reifen> [<prep_car>] <now>"
            " (Luft|Druck|mehr Luft|neue Luft)"
        ),
        (
            "<pre> <ask> (braucht|muss) <car> <now> (Luft|Luft in die Reifen|Luft"
            " nachgefüllt werden|zum Luftdruck prüfen)"
        ),
        (
            "<pre> <ask> wie viel (Luft|Druck) (ist|hat es|haben|hat|ist noch) [in]"
            " <art> <reifen> <prep_car> <now>"
        ),
        (
            "<pre> <ask> wie viel (Luft|Druck) (ist|hat es|haben|hat|ist noch) [in]"
            " <art> <reifen> <now>"
        ),
        "<pre> <ask> (sind|ist) <art> <reifen> <prep_car> <now> <ok>",
        "<pre> <ask> (sind|ist) <art> <reifen> <now> <ok> <prep_car>",
        (
            "<pre> <ask> (hat|verliert) <art> <reifen> [<prep_car>] <now> (zu"
            " wenig Luft|Luft verloren|einen Platten|einen Plattfuß|Luft|Druck"
            " verloren)"
        ),
        (
            "<pre> <ask> (hat|habe|hab) (ich|wir|<car>) <now> (einen Platten"
            "|einen Plattfuß|zu wenig Luft|einen platten Reifen)"
        ),
        (
            "<pre> <ask> (wie ist|was ist|wie hoch ist|und) der (Luftdruck|Druck)"
            " (in den|der|im|des|vom) <reifen> <prep_car>"
        ),
        (
            "<pre> <ask> (wie ist|was ist|wie hoch ist|und) der (Luftdruck|Druck)"
            " (in den|der|im|des|vom) <reifen> [<prep_car>]"
        ),
        "<pre> <ask> <reifendruck_n> <seite> <post>",
        "<pre> <ask> (was ist|wie ist) der Reifendruck (von|vom|des) {car}",
    ),
    V.BATTERY_12V: (
        *_value("<lv_car_n>", car_only=True),
        *_value("<lv_n>", car_only=False),
        "<pre> <ask> wie geht('s|s| es) [der|dem] <lv_n> [<prep_car>] <now>",
        "<pre> <ask> (ist|wird) die <lv_car_n> [<prep_car>] <now> <ok>",
        "<pre> <ask> (ist|wird) die <lv_n> <prep_car> <now> <ok>",
        (
            "<pre> <ask> wie (voll|leer|geladen|gut|fit) ist [die|der|das] <lv_n>"
            " [<prep_car>] <now>"
        ),
        (
            "<pre> <ask> (braucht|muss) <car> <now> (Starthilfe|eine neue"
            " Batterie|eine neue Starterbatterie)"
        ),
    ),
    V.OUTSIDE_TEMPERATURE: (
        *_value("<aussen_n>", car_only=False),
        (
            "<pre> <ask> wie (kalt|warm|heiß|kühl|frostig) ist es <now> (draußen"
            "|draussen|außen|außerhalb|vor Ort) (beim|am|bei|um|an|neben) [<art>]"
            " (<autowort>|<names>) <post>"
        ),
        (
            "<pre> <ask> wie (kalt|warm|heiß|kühl) ist es <now> (beim|am|bei|um)"
            " [<art>] (<autowort>|<names>) (draußen|draussen|außen|vor Ort)"
        ),
        (
            "<pre> <ask> (welche|was für eine|wie viel) (Außentemperatur"
            "|Aussentemperatur|Temperatur draußen) (misst|zeigt|meldet|hat"
            "|sagt|gibt) <car> <now> [an]"
        ),
        (
            "<pre> <ask> (welche Temperatur|wie viel Grad) (misst|zeigt|meldet"
            "|sagt) <car> (draußen|außen|für draußen|als Außentemperatur) [an]"
        ),
        (
            "<pre> <ask> wie viel Grad (hat es|sind es|ist es) (draußen|außen)"
            " (beim|am|bei) [<art>] (<autowort>|<names>)"
        ),
        (
            "<pre> <ask> (ist es|wie kalt ist es|wie warm ist es) <now> (dort|da)"
            " wo <car> (steht|parkt|geparkt ist)"
        ),
        (
            "<pre> <ask> (ist|wird) es <now> <warm> (draußen|außen) (beim|am|bei)"
            " [<art>] (<autowort>|<names>)"
        ),
    ),
    V.CABIN_TEMPERATURE: (
        *_value("<temp_n>", car_only=False),
        *_value("<innen_n>", car_only=True),
        (
            "<pre> <ask> wie (warm|kalt|heiß|kühl|frisch|eisig) ist es <now>"
            " <im_car> <post>"
        ),
        (
            "<pre> <ask> wie (warm|kalt|heiß|kühl) ist <car> <now> [innen|drinnen"
            "|im Innenraum] <post>"
        ),
        "<pre> <ask> (ist|wird) es <now> <im_car> <now> <warm> <post>",
        "<pre> <ask> (ist|wird) es <now> <warm> <im_car> <post>",
        (
            "<pre> <ask> (ist|wird) <car> <now> (<warm>|vorgeheizt|aufgeheizt"
            "|aufgewärmt|durchgewärmt|warm genug|vorgewärmt|enteist|eisfrei"
            "|abgetaut|temperiert|vorklimatisiert|angenehm warm) [innen|drinnen]"
            " <post>"
        ),
        (
            "<pre> <ask> (welche|was für eine) Temperatur (hat es|herrscht|ist"
            "|haben wir) <now> <im_car>"
        ),
        "<pre> <ask> wie viel Grad (hat es|sind es|ist es|hat) <now> <im_car>",
        "<pre> <ask> wie viel Grad hat <car> <now> [innen|drinnen]",
        (
            "<pre> <ask> wie (warm|kalt) ist es <now> in (meinem|dem|unserem)"
            " (Auto|Wagen) drin"
        ),
    ),
    V.CLIMATE: (
        (
            "<pre> <ask> (läuft|ist|geht|arbeitet) [die|das|der] <heizung>"
            " <prep_car> <now> [<an_aus>] <post>"
        ),
        (
            "<pre> <ask> (läuft|ist|geht|arbeitet) <prep_car> [die|das|der]"
            " <heizung> <now> [<an_aus>] <post>"
        ),
        (
            "<pre> <ask> (läuft|ist|geht) [die|das|der] <heizung_car> <now>"
            " [<an_aus>] <post>"
        ),
        (
            "<pre> <ask> (heizt|wärmt|klimatisiert|kühlt|lüftet|taut) <car> <now>"
            " [gerade|schon|noch] [vor|auf|ab] [oder nicht] <post>"
        ),
        (
            "<pre> <ask> (hat|ist) [die|das|der] <heizung_opt> <now>"
            " (angefangen|gestartet|begonnen|angesprungen|angegangen|losgelaufen"
            "|angelaufen)"
        ),
        (
            "<pre> <ask> (hat|ist) [die|das|der] <heizung_car> <now> (angefangen"
            "|gestartet|begonnen|angesprungen|angegangen|angelaufen)"
        ),
        (
            "<pre> [die|das|der] <heizung_car> (läuft|ist) <now> [nicht] [<an_aus>]"
            f" {_ODER}"
        ),
        (
            "<pre> [die|das|der] <heizung> <prep_car> (läuft|ist) <now> [nicht]"
            f" [<an_aus>] {_ODER}"
        ),
        (
            "<pre> <ask> (was ist|wie ist|wie steht es mit|was macht) [der|die|das]"
            " (Status|Zustand) (der|des|von der|vom) <heizung_opt>"
        ),
        (
            "<pre> <ask> (was macht|wie ist|was ist mit) [die|das|der] <heizung_opt>"
            " <now>"
        ),
        (
            "<pre> <ask> auf (welche Temperatur|wie viel Grad|wie warm) (ist|heizt"
            "|steht) [die|das|der] <heizung_opt> <now> [eingestellt"
            "|gestellt]"
        ),
        (
            "<pre> <tell> ob [die|das|der] <heizung_opt> <now> (läuft|an"
            " ist|aus ist|eingeschaltet ist)"
        ),
        "<pre> <tell> ob <car> <now> (heizt|vorheizt|vorklimatisiert)",
        (
            "<pre> <ask> (ist|sind) <prep_car> [die|das|der] (Heizung|Klimaanlage"
            "|Klima|Standheizung|Lüftung) <an_aus>"
        ),
    ),
    V.LOCK: (
        (
            "<pre> <ask> (ist|war) <car> <now> (abgeschlossen|zugeschlossen"
            "|abgesperrt|zugesperrt|verriegelt|verschlossen|entriegelt"
            "|aufgeschlossen|aufgesperrt|zu|offen|auf|unverschlossen|gesichert"
            "|richtig zu|richtig abgeschlossen) [oder nicht|oder offen] <post>"
        ),
        (
            "<pre> <ask> <hab> <wer> <car> <now> [richtig|auch] (abgeschlossen"
            "|zugeschlossen|abgesperrt|zugesperrt|verriegelt|zugemacht|zu gemacht"
            "|zugesperrt|versperrt)"
        ),
        (
            "<pre> <ask> <hab> <wer> <now> vergessen <car> (abzuschließen"
            "|abzusperren|zuzusperren|zu verriegeln|zuzumachen|zuzuschließen)"
        ),
        (
            "<pre> <ask> (sind|ist) <art> (Türen|Tür|Zentralverriegelung"
            "|Verriegelung|Schlösser|Schloss) <prep_car> <now> (verriegelt"
            "|abgeschlossen|zugesperrt|abgesperrt|entriegelt|aktiv|an|zu)"
        ),
        (
            "<pre> <car> ist <now> (abgeschlossen|zugeschlossen|abgesperrt"
            f"|zugesperrt|verriegelt|zu|offen|auf) {_ODER}"
        ),
        (
            "<pre> <car> ist <now> nicht (abgeschlossen|zugeschlossen|abgesperrt"
            f"|zugesperrt|verriegelt|offen|zu) {_ODER}"
        ),
        (
            "<pre> <ask> (was ist|wie ist) der (Verriegelungsstatus|Schließstatus"
            "|Status der Verriegelung|Status der Zentralverriegelung) <prep_car>"
        ),
        "<pre> <ask> (Verriegelungsstatus|Schließstatus|Verriegelung) <prep_car>",
        (
            "<pre> <tell> ob <car> <now> (abgeschlossen|zugeschlossen|abgesperrt"
            "|zugesperrt|verriegelt|zu|offen|auf) ist"
        ),
        (
            "<pre> <tell> ob <wer> <car> <now> (abgeschlossen|zugeschlossen"
            "|abgesperrt|zugesperrt|verriegelt) (habe|hab|haben|hat)"
        ),
    ),
    V.OPENINGS: (
        (
            "<pre> <ask> (ist|war) <prep_car> <now> (etwas|was|irgendwas|irgendetwas"
            "|nichts|alles|überhaupt etwas|sonst was|sonst etwas|noch was|noch"
            " etwas) <now> (offen|auf|zu|geschlossen|offengeblieben|offen geblieben"
            "|offen gelassen) <post>"
        ),
        (
            "<pre> <ask> (ist|war) (etwas|was|irgendwas|irgendetwas|nichts|alles"
            "|noch etwas|noch was|sonst was) <now> (offen|auf|zu|geschlossen"
            "|offengeblieben|offen geblieben) <prep_car> <post>"
        ),
        (
            "<pre> <ask> (ist|war) (etwas|was|irgendwas|irgendetwas|nichts|alles"
            "|noch etwas|noch was) <prep_car> <now> (offen|auf|zu|geschlossen"
            "|offengeblieben) <post>"
        ),
        (
            "<pre> <ask> (gibt es|gibt's) <prep_car> <now> (etwas|was|irgendwas"
            "|irgendetwas) (offenes|das offen ist|was offen ist)"
        ),
        (
            "<pre> <ask> <hab> <wer> <prep_car> <now> (etwas|was|irgendwas"
            "|irgendetwas|nichts) (offen|auf) (gelassen|stehen lassen|vergessen)"
        ),
        (
            "<pre> <ask> <hab> <wer> (etwas|was|irgendwas|irgendetwas) <prep_car>"
            " <now> (offen|auf) (gelassen|stehen lassen|vergessen)"
        ),
        (
            "<pre> <ask> was ist <prep_car> <now> (offen|auf|nicht zu|nicht"
            " geschlossen|offen geblieben) <post>"
        ),
        "<pre> <ask> was ist <now> (offen|auf) <prep_car> <post>",
        (
            "<pre> <ask> (ist|sind) <car> <now> (komplett|ganz|überall|richtig"
            "|rundum|vollständig) (zu|geschlossen|dicht)"
        ),
        (
            "<pre> <ask> (sind|ist) [alle] [die] (Türen und Fenster|Fenster und"
            " Türen|Türen Fenster und Klappen|Türen Fenster und Kofferraum) <prep_car>"
            " <now> (zu|geschlossen|offen|auf)"
        ),
        (
            "<pre> <ask> (sind|ist) <prep_car> [alle] [die] (Türen und Fenster"
            "|Fenster und Türen) <now> (zu|geschlossen|offen|auf)"
        ),
        (
            "<pre> <prep_car> ist <now> (alles|nichts) (zu|geschlossen|offen|auf)"
            f" {_ODER}"
        ),
        (
            "<pre> (alles|nichts) ist <now> (zu|geschlossen|offen|auf) <prep_car>"
            f" {_ODER}"
        ),
        "<pre> <tell> ob <prep_car> <now> (etwas|was|irgendwas) (offen|auf) ist",
        "<pre> <tell> ob <prep_car> <now> alles (zu|geschlossen) ist",
    ),
    V.DOORS: (
        *_opening("<tuer_n>", car_only=False),
        *_opening("<autotuer_n>", car_only=True),
    ),
    V.WINDOWS: (
        *_opening("<fenster_n>", car_only=False),
        *_opening("<autofenster_n>", car_only=True),
    ),
    V.TRUNK: _opening("<kofferraum_n>", car_only=True),
    V.HOOD: _opening("<haube_n>", car_only=True),
    V.SUNROOF: (
        *_opening("<dach_car_n>", car_only=True),
        *_opening("<dach_n>", car_only=False),
    ),
    V.AT_HOME: (
        (
            "<pre> <ask> (ist|steht|parkt|war) <car> <now> [wieder|schon|noch]"
            " (zu Hause|zuhause|daheim|in der Garage|vor dem Haus|vorm Haus|in der"
            " Einfahrt|auf dem Stellplatz|im Carport|hier|bei uns|vor der Tür|vor"
            " der Haustür|auf unserem Parkplatz|am Haus|zurück|wieder da) <post>"
        ),
        (
            "<pre> <ask> (ist|war) <car> <now> (heimgekommen|angekommen|nach Hause"
            " gekommen|zurückgekommen|wieder zu Hause|zurück nach Hause gekommen"
            "|heimgefahren)"
        ),
        (
            "<pre> <ask> <hab> <wer> <car> <now> (zu Hause|zuhause|daheim|in der"
            " Garage|vor dem Haus|in der Einfahrt) (geparkt|abgestellt|gelassen"
            "|stehen lassen)"
        ),
        f"<pre> <car> (ist|steht) <now> (zu Hause|zuhause|daheim|in der Garage) {_ODER}",
        (
            "<pre> <tell> ob <car> <now> (zu Hause|zuhause|daheim|in der Garage)"
            " (ist|steht)"
        ),
    ),
    V.LOCATION: (
        (
            "<pre> <ask> wo (ist|steht|parkt|befindet sich|ist denn|steht denn"
            "|parkt denn|war|stand) <now> <car> <now> [gerade|jetzt|eigentlich|denn"
            "|grad|im Moment|geparkt|hin] <post>"
        ),
        (
            "<pre> <ask> wo <hab> <wer> <car> <now> (geparkt|abgestellt|hingestellt"
            "|gelassen|stehen lassen|hingefahren|hingebracht|stehenlassen|geparkt"
            " zuletzt)"
        ),
        (
            "<pre> <ask> wo <hab> (ich|wir) <now> (geparkt|das Auto abgestellt"
            "|geparkt heute)"
        ),
        (
            "<pre> <ask> wo (ist|befindet sich|steht) <art> (Standort|Position"
            "|Parkplatz) <prep_car>"
        ),
        (
            "<pre> <ask> (was ist|wie ist|wo ist|zeig mir|sag mir) [der|die|den]"
            " (Standort|Position|Parkplatz|Parkposition|aktuelle Standort|aktuelle"
            " Position) <prep_car> <post>"
        ),
        "<pre> <ask> (Standort|Position|Parkposition) <prep_car>",
        (
            "<pre> <ask> wie weit (weg|entfernt|von hier|von zu Hause|weg von hier"
            "|von mir|vom Haus|weit weg) (ist|steht|parkt) <car> <now>"
        ),
        (
            "<pre> <ask> wie weit (ist|steht|parkt) <car> <now> (weg|entfernt|von"
            " hier|von zu Hause|von mir)"
        ),
        "<pre> <ask> (finde|finden|orte|orten|such|suche|lokalisiere) <car>",
        ("<pre> <tell> wo <car> <now> (ist|steht|parkt|sich befindet|geparkt ist)"),
        (
            "<pre> <ask> (fährt|ist) <car> <now> (gerade|im Moment|jetzt)"
            " (unterwegs|auf der Straße|in Bewegung|weg)"
        ),
        (
            "<pre> <ask> (ist|steht) <car> <now> (in der Nähe|weit weg|unterwegs"
            "|in Bewegung|nicht da|weg)"
        ),
        "<pre> <ask> wo steckt <car> <now>",
    ),
    V.FRESHNESS: (
        (
            "<pre> <ask> wann hat sich <car> <now> [zuletzt|das letzte Mal|zum"
            " letzten Mal|als letztes] (gemeldet|aktualisiert|synchronisiert"
            "|verbunden)"
        ),
        (
            "<pre> <ask> wann hat <car> <now> (zuletzt|das letzte Mal|zum letzten"
            " Mal) (Daten|etwas|was|sich) (geschickt|gesendet|gemeldet|übertragen"
            "|aktualisiert)"
        ),
        (
            "<pre> <ask> wann (war|kam|gab es) [das|die|der] (letzte|neueste|jüngste"
            "|letzten) (Update|Aktualisierung|Meldung|Lebenszeichen|Datenupdate"
            "|Daten|Kontakt|Verbindung|Synchronisation|Statusmeldung) (vom|von|des"
            "|mit dem|mit|zum) [<art>] (<autowort>|<names>)"
        ),
        (
            "<pre> <ask> wann (wurde|wurden|war) <car> <now> (zuletzt|das letzte"
            " Mal|zum letzten Mal) (aktualisiert|online|erreichbar|gesehen)"
        ),
        (
            "<pre> <ask> wie (aktuell|alt|frisch|neu|zuverlässig) (sind|ist) [die"
            "|der] (Daten|Werte|Informationen|Infos|Status|Angaben|Stand) <prep_car>"
        ),
        (
            "<pre> <ask> (sind|ist) [die|der] (Daten|Werte|Informationen|Infos"
            "|Status|Angaben|Stand) <prep_car> <now> (aktuell|auf dem neuesten"
            " Stand|veraltet|alt|frisch|von heute|live|neu|zuverlässig) [oder nicht]"
        ),
        (
            "<pre> <ask> (ist|war) <car> <now> (online|erreichbar|verbunden|wach"
            "|im Schlafmodus|offline|eingeschlafen|am Schlafen|im Standby"
            "|verbunden mit dem Internet|im Netz)"
        ),
        (
            "<pre> <ask> (wann|wie lange ist es her) (seit|dass) <car> <now> sich"
            " (gemeldet|zuletzt gemeldet) hat"
        ),
    ),
    V.ALL: (
        (
            "<pre> <ask> wie (geht|gehts|geht's|steht|stehts|steht's) es [um|mit]"
            " <car> <now>"
        ),
        (
            "<pre> <ask> wie (geht's|gehts|geht) (meinem|dem|unserem) (Auto|Wagen"
            "|Fahrzeug|<names>) <now>"
        ),
        (
            "<pre> <ask> wie (steht's|stehts|steht es|sieht's|sieht es) (um|mit)"
            " <car> [aus] <now>"
        ),
        "<pre> <ask> was (macht|treibt) <car> <now> [so|gerade|eigentlich]",
        (
            "<pre> <ask> (Status|Zustand|Statusbericht|Überblick|Übersicht"
            "|Zusammenfassung) <prep_car> <post>"
        ),
        (
            "<pre> <ask> (gib|sag|zeig|nenn) mir [bitte|mal] [einen|den|die|eine]"
            " [kurzen|schnellen|kurze] (Status|Überblick|Zustand|Bericht"
            "|Statusbericht|Übersicht|Zusammenfassung|Update|Lagebericht)"
            " <prep_car>"
        ),
        (
            "<pre> <ask> (was ist|wie ist) der (Status|Zustand|aktuelle Status"
            "|aktuelle Zustand) <prep_car> <post>"
        ),
        (
            "<pre> <ask> (ist|war) (mit|bei|beim|am) [<art>] (<autowort>|<names>)"
            " <now> alles (in Ordnung|ok|okay|gut|klar|fit|im grünen Bereich)"
        ),
        (
            "<pre> <ask> (ist|war) <car> <now> (in Ordnung|ok|okay|startklar"
            "|bereit|fahrbereit|fit|einsatzbereit|abfahrbereit)"
        ),
        (
            "<pre> <ask> (gibt es|gibt's) (was|etwas|irgendwas) Neues (vom|von|beim"
            "|am) [<art>] (<autowort>|<names>)"
        ),
        (
            "<pre> <ask> (check|prüf|prüfe|überprüf|überprüfe|kontrollier"
            "|kontrolliere) [mal|bitte] <car>"
        ),
    ),
    V.CLIMATE_STOP: (
        (
            "<pre> <ask2> [die|das|der] <heizung_opt> (aus|ausschalten"
            "|abschalten|ausmachen|stoppen|beenden|abstellen|ausstellen|aus machen"
            "|abbrechen|deaktivieren) [bitte]"
        ),
        (
            "<pre> <ask2> (mach|mache|schalte|schalt|stell|stelle|dreh|drehe)"
            " [mal|bitte|jetzt] [die|das|der] <heizung_opt> [wieder] (aus"
            "|ab)"
        ),
        (
            "<pre> <ask2> (mach|mache|schalte|schalt|stell|stelle|dreh|drehe)"
            " [mal|bitte|jetzt] <prep_car> [die|das|der] <heizung> [wieder] (aus"
            "|ab)"
        ),
        (
            "<pre> <ask2> (stopp|stoppe|stop|beende|beend|brich|deaktiviere"
            "|deaktivier|unterbrich|beend) [mal|bitte|jetzt] [die|das|der]"
            " ((<heizung_car>|Vorheizen|Aufheizen|Vorwärmen|Vorklimatisieren)"
            " [<prep_car>]|(<heizung>|Heizen) <prep_car>) [ab]"
        ),
        (
            "<pre> <ask2> (hör|höre) auf <car> (vorzuheizen|zu heizen|aufzuheizen"
            "|vorzuklimatisieren|vorzuwärmen|aufzuwärmen)"
        ),
        (
            "<pre> <ask2> (hör|höre) auf (vorzuheizen|zu heizen|aufzuheizen"
            "|vorzuklimatisieren|mit dem Vorheizen|mit dem Heizen) [<prep_car>]"
        ),
        (
            "<pre> <ask2> <car> nicht (mehr|länger) (vorheizen|heizen|vorwärmen"
            "|aufheizen|vorklimatisieren|warm machen)"
        ),
        (
            "<pre> <ask2> (kein|keine) (Vorheizen|Standheizung|Vorklimatisierung"
            "|Heizung) mehr [<prep_car>]"
        ),
        (
            "<pre> <ask2> <car> (muss|braucht) (nicht mehr|nicht|doch nicht"
            "|nicht länger) (vorgeheizt|geheizt|vorgewärmt|warm) (werden|zu"
            " werden)"
        ),
        (
            "<pre> <ask2> (schalte|schalt|mach|mache) <car> (Heizung|Klima"
            "|Klimaanlage|Standheizung) aus"
        ),
    ),
    V.CLIMATE_START: (
        (
            "<pre> <ask2> (heiz|heize|wärm|wärme|klimatisier|klimatisiere|heizt"
            "|heizen) [mal|bitte|jetzt|schon mal] <car> [mal|bitte|schon mal] (vor"
            "|auf|an)"
        ),
        (
            "<pre> <ask2> <car> [mal|bitte|schon mal|jetzt] (vorheizen|vorwärmen"
            "|vorklimatisieren|aufheizen|aufwärmen|enteisen|warm machen|heizen"
            "|anheizen|vortemperieren|abtauen|klimatisieren|warmlaufen lassen)"
            " [bitte|lassen]"
        ),
        "<pre> <ask2> (enteise|enteis|taue|tau) [mal|bitte] <car> [ab|auf]",
        (
            "<pre> <ask2> (mach|mache|schalte|schalt|stell|stelle|dreh|drehe"
            "|wirf|werf) [mal|bitte|jetzt|schon mal] [die|das|der] <heizung_opt>"
            " [mal|bitte] (an|ein|auf)"
        ),
        (
            "<pre> <ask2> (mach|mache|schalte|schalt|stell|stelle|dreh|drehe)"
            " [mal|bitte|jetzt|schon mal] <prep_car> [die|das|der] <heizung>"
            " [mal|bitte] (an|ein|auf)"
        ),
        (
            "<pre> <ask2> [die|das|der] <heizung_opt> (an|ein|einschalten"
            "|anschalten|anmachen|starten|aktivieren|an machen|anwerfen) [bitte]"
        ),
        (
            "<pre> <ask2> (mach|mache) <car> [mal|bitte|schon mal] (warm|schön"
            " warm|warm für mich|mollig warm|startklar|eisfrei)"
        ),
        (
            "<pre> <ask2> (starte|start|aktiviere|aktivier|beginne|begin|wirf"
            "|werf) [mal|bitte|jetzt|schon mal] [die|das|der] ((<heizung_car>|Aufheizen"
            "|Vorwärmen) [<prep_car>]|(<heizung>|Heizen) <prep_car>) [an]"
        ),
        (
            "<pre> <ask2> (lass|lasse) <car> [mal|bitte|schon mal] (vorheizen"
            "|vorwärmen|warm werden|aufheizen|vorklimatisieren|warmlaufen)"
        ),
        (
            "<pre> ich (möchte|will|hätte gern|hätte gerne|brauche) <car> [bitte]"
            " (warm|vorgeheizt|aufgeheizt|vorgewärmt|eisfrei|warm haben)"
        ),
    ),
    V.CLIMATE_SET: (
        (
            "<pre> <ask2> (heiz|heize|wärm|wärme|klimatisier|klimatisiere|bring"
            "|bringe) [mal|bitte|jetzt|schon mal] <car> [mal|bitte] <auf_temp>"
            " [vor|auf|an|hoch]"
        ),
        (
            "<pre> <ask2> <car> [mal|bitte] <auf_temp> (vorheizen|vorwärmen|heizen"
            "|aufheizen|bringen|temperieren|vorklimatisieren|klimatisieren"
            "|aufwärmen|warm machen)"
        ),
        (
            "<pre> <ask2> (stell|stelle|setz|setze|dreh|drehe|mach|mache|schalte"
            "|schalt) [mal|bitte|jetzt] [die|das|der] (<heizung_car> [<prep_car>]"
            "|(<heizung>|Temperatur|Zieltemperatur|Innentemperatur"
            "|Wunschtemperatur) <prep_car>) <auf_temp> [ein|an]"
        ),
        (
            "<pre> <ask2> (stell|stelle|setz|setze|dreh|drehe|mach|mache) [mal"
            "|bitte|jetzt] <prep_car> [die|das|der] (<heizung>|Temperatur"
            "|Zieltemperatur|Innentemperatur) <auf_temp> [ein|an]"
        ),
        ("<pre> <ask2> (mach|mache) <car> [mal|bitte] <auf_temp> (warm|warm genug)"),
        (
            "<pre> <ask2> [die|das|der] <heizung_opt> <auf_temp>"
            " (einstellen|stellen|starten|an|ein)"
        ),
        (
            "<pre> <ask2> (starte|start|schalte|schalt|mach|mache) [die|das|der]"
            " <heizung_opt> (mit|auf) {temperature} [Grad] [an|ein]"
        ),
        (
            "<pre> ich (möchte|will|hätte gern|hätte gerne) (<im_car>|<car>)"
            " {temperature} Grad [haben]"
        ),
    ),
    V.LOCK_CAR: (
        (
            "<pre> <ask2> (schließ|schließe|schliess|schliesse|sperr|sperre)"
            " [mal|bitte|jetzt] <car> [mal|bitte] (ab|zu)"
        ),
        (
            "<pre> <ask2> (verriegle|verriegel|verriegele) [mal|bitte|jetzt] <car>"
            " [bitte]"
        ),
        (
            "<pre> <ask2> <car> [bitte|mal] (abschließen|absperren|zusperren"
            "|verriegeln|zuschließen|zumachen|abschliessen)"
        ),
        "<pre> <ask2> (mach|mache) <car> [mal|bitte] zu",
        (
            "<pre> <ask2> (schließ|schließe|sperr|sperre|verriegle|verriegel) [die"
            "|alle] Türen <prep_car> [ab|zu]"
        ),
    ),
    V.UNLOCK_CAR: (
        (
            "<pre> <ask2> (schließ|schließe|schliess|schliesse|sperr|sperre)"
            " [mal|bitte|jetzt] <car> [mal|bitte] auf"
        ),
        (
            "<pre> <ask2> (entriegle|entriegel|entriegele) [mal|bitte|jetzt] <car>"
            " [bitte]"
        ),
        (
            "<pre> <ask2> <car> [bitte|mal] (aufschließen|aufsperren|entriegeln"
            "|aufmachen|aufschliessen)"
        ),
        "<pre> <ask2> (mach|mache) <car> [mal|bitte] auf",
        (
            "<pre> <ask2> (entriegle|entriegel|schließ|schließe|sperr|sperre) [die"
            "|alle] Türen <prep_car> [auf]"
        ),
    ),
}

GERMAN = Language("de", FRAGMENTS, TEMPLATES, possessive="s")
