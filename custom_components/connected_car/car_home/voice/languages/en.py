"""English sentences about the car.

Words a home also has (battery, temperature, door, window, heater, lock) are
only accepted together with the car (`<car>`, `<cars>`, `<of_car>`), so "is the
window open" or "turn on the heater" still reach Home Assistant's own intents.
Words only a car has (range, fuel, mileage, tire pressure, trunk, sunroof,
preconditioning) need no car: with one car it is clear which is meant.
"""

from __future__ import annotations

from ..grammar import Language, VoiceIntent as V

_STATE_OPEN = (
    "(open|opened|left open|still open|wide open|ajar|not closed|not shut"
    "|closed|shut|closed properly|shut properly|properly closed|properly shut"
    "|fully closed|fully shut|all closed|all shut|all open|shut tight|closed up)"
)
_STATE_WINDOW = (
    "(open|opened|left open|still open|wide open|cracked|cracked open|down"
    "|rolled down|all the way down|up|rolled up|all the way up|closed|shut"
    "|closed properly|shut properly|fully closed|all closed|all shut|all up"
    "|all open|not closed|not up)"
)
_TAG = (
    "[right|are they|aren't they|is it|isn't it|correct|i hope|hopefully|yes"
    "|yeah|no|or not|or what]"
)

FRAGMENTS: dict[str, str] = {
    "<state>": f"({_STATE_OPEN[1:-1]}|{_STATE_WINDOW[1:-1]})",
    "<the>": "[the|my|our|this|that|your]",
    "<carword>": "(car|vehicle|auto|automobile|ev|electric car|hybrid)",
    "<carword_s>": (
        "(car's|cars|car|vehicle's|vehicles|vehicle|auto's|auto|ev's|evs|ev)"
    ),
    "<car>": "<the> (<carword>|<names>)",
    "<cars>": "<the> (<carword_s>|<names_s>)",
    "<of_car>": "(of|on|in|for|at|from|inside|with|about|in the case of) <car>",
    "<pre>": (
        "[hey|hi|ok|okay|so|um|umm|uh|uhm|er|erm|hmm|well|and|also|oh|alright"
        "|now|please|actually|quick question|by the way]"
    ),
    "<ask>": (
        "[(can|could|would|will) you [please] (tell me|check|let me know|find"
        " out|see|say)|please (tell me|check)|tell me|let me know|do you know|i"
        " (want to know|'d like to know|would like to know|wonder|was"
        " wondering|need to know)|any idea|check [for me]|find out]"
    ),
    "<ask2>": (
        "[(can|could|would|will) you [please]|please|i want you to|i'd like you"
        " to|go ahead and|i need you to|kindly|you can|just|now]"
    ),
    "<post>": (
        "[right now|now|at the moment|currently|today|at all|still|then|again"
        "|for me|by any chance|exactly|approximately|roughly|doing|holding up"
        "|looking|say|show|read|at|reading|yet|already|actually|saying|showing"
        "|telling me]"
        " [please|thanks|thank you|then]"
    ),
    "<whats>": (
        "(what (is|are|does|do|was|about|'s left of)|what's|whats|what're|what"
        "|tell me|give me|get me|show me|check|read [me]|say|how (is|are|about)"
        "|how's|hows|how're|how|and)"
    ),
    "<level>": (
        "[level|levels|percentage|percent|status|state|reading|value|amount"
        "|gauge|number]"
    ),
    "<now>": "[still|currently|already|actually|definitely|properly|really|even|now]",
    "<someone>": (
        "(i|we|you|someone|somebody|anybody|anyone|my (wife|husband|partner|son"
        "|daughter|kid|kids))"
    ),
    "<position>": (
        "[front|rear|back] [left|right|driver side|driver's side|drivers side"
        "|passenger side|passenger's side|passengers side]"
    ),
    "<units_distance>": "(miles|mi|kilometers|kilometres|km|kms|k m|clicks)",
    "<to_temp>": (
        "(to|at|on) {temperature} [degrees|degree|celsius|fahrenheit|c|f"
        "|degrees celsius|degrees fahrenheit]"
    ),
    # What the car has.
    "<range_n>": (
        "(range|remaining range|driving range|electric range|electric driving"
        " range|ev range|total range|estimated range|range left|range remaining"
        "|remaining distance|distance to empty|miles to empty|range to empty"
        "|autonomy|range estimate|battery range|fuel range)"
    ),
    "<fuel_n>": (
        "(fuel|fuel level|petrol|petrol level|diesel|diesel level|fuel gauge"
        "|fuel tank|petrol tank|diesel tank|fuel left|fuel state|fuel tank"
        " level)"
    ),
    "<fuel_any_n>": "(<fuel_n>|gas|gas level|gasoline|gas tank|tank|tank level)",
    "<fuelword>": "(fuel|petrol|diesel|gas|gasoline)",
    "<charge_car_n>": (
        "(state of charge|soc|s o c|ev battery|traction battery|high voltage"
        " battery|drive battery|ev charge|hv battery|charge level|charging"
        " level|battery charge level)"
    ),
    "<charge_n>": (
        "(<charge_car_n>|battery|battery level|battery charge|battery"
        " percentage|battery percent|battery status|battery state|charge|charge"
        " level|charging level|charge state|juice|battery life|battery power"
        "|charge percentage)"
    ),
    "<charging_n>": (
        "(charging|charge|charging session) (time|time left|time remaining"
        "|status|state|power|speed|rate|progress|current)"
    ),
    "<cable_n>": (
        "(charging cable|charge cable|charger|cable|plug|charging plug|charge"
        " plug|charge port|charging port|charging connector|connector|ev"
        " charger)"
    ),
    "<mileage_n>": (
        "(mileage|odometer|odometer reading|odo|odo reading|total mileage"
        "|kilometer reading|kilometre reading|kilometer count|kilometre count"
        "|total kilometers|total kilometres|total miles|mileage count"
        "|kilometers driven|miles driven|total distance driven)"
    ),
    "<tyre_n>": (
        "(tire pressure|tyre pressure|tire pressures|tyre pressures|tire"
        " status|tyre status|tire air|tyre air|pressure in the (tires|tyres)"
        "|pressure of the (tires|tyres)|air pressure in the (tires|tyres)|air in"
        " the (tires|tyres)|tpms|tire pressure monitor|tire pressure reading)"
    ),
    "<tyres>": "[<position>] (tires|tyres|tire|tyre|wheels|wheel)",
    "<tyre_ok>": (
        "(ok|okay|fine|good|alright|all right|low|flat|right|correct|normal"
        "|inflated|properly inflated|pumped up|under inflated|underinflated"
        "|over inflated|low on air|losing air|in order|as they should be|too"
        " low|too high)"
    ),
    "<lv_car_n>": (
        "((12|twelve) [volt|volts|v]|12v|12-volt|12-v|starter|starting"
        "|auxiliary|aux|low voltage|lead acid|lead-acid|accessory) [car]"
        " (battery|batt)"
    ),
    "<lv_n>": "(<lv_car_n>|(small|little|normal|regular|standard|other) battery)",
    "<battery_ok>": (
        "(ok|okay|fine|good|healthy|charged|alright|all right|dead|flat|low|weak"
        "|full|empty|dying|drained|in order)"
    ),
    "<temp_n>": (
        "(temperature|temp|cabin temperature|cabin temp|inside temperature"
        "|inside temp|interior temperature|interior temp|internal temperature"
        "|indoor temperature|temperature inside|climate inside)"
    ),
    "<cabin_temp_n>": "(cabin temperature|cabin temp)",
    "<outside_n>": (
        "(outside temperature|outside temp|outdoor temperature|exterior"
        " temperature|ambient temperature|external temperature|temperature"
        " outside|outside air temperature|temp outside)"
    ),
    "<warm_adj>": (
        "(warm|cold|hot|chilly|cool|freezing|warm enough|cold enough"
        "|comfortable|nice|toasty|cozy|cosy|icy|frosty|nice and warm|too cold"
        "|too hot|too warm|frozen)"
    ),
    "<heater_n>": (
        "(<precond_n>|heater|heating|heat|climate|climate control|air"
        " conditioning|air con|aircon|ac|a c|hvac|defroster|defrost|defrosting"
        "|fan|blower|heating system|climate system|cabin heater)"
    ),
    "<precond_n>": (
        "(preconditioning|pre conditioning|pre-conditioning|preheating|pre"
        " heating|pre-heating|remote climate|climate preconditioning|standby"
        " heater|parking heater|auxiliary heater|webasto|cabin"
        " preconditioning|preconditioner)"
    ),
    "<heater_on>": (
        "(on|running|working|active|going|started|switched on|turned on|off"
        "|switched off|turned off|enabled|disabled|doing anything|heating|going"
        " on)"
    ),
    "<heating_verb>": (
        "(heating|preheating|pre heating|pre-heating|preconditioning|pre"
        " conditioning|warming up|heating up|defrosting|cooling|cooling down"
        "|climatizing|running the (heater|climate|ac|heating)|warming)"
    ),
    "<heat_verb>": (
        "(warm up|heat up|preheat|pre heat|pre-heat|precondition|pre condition"
        "|pre-condition|defrost|de ice|de-ice|deice|defog|demist|heat|warm"
        "|climatize|condition|cool down|cool|air condition|warm [up] and"
        " defrost)"
    ),
    "<on_verb>": "(turn|switch|put|flip|fire|start|kick)",
    "<off_verb>": "(turn|switch|shut|power|flip|put)",
    "<stop_verb>": (
        "(stop|cancel|end|abort|halt|quit|kill|terminate|deactivate|disable|pause)"
    ),
    "<door_n>": (
        "([<position>] (door|doors|car door|car doors|side door|side doors)"
        "|(driver's|drivers|driver|passenger's|passengers|passenger) [side]"
        " (door|doors))"
    ),
    "<window_n>": (
        "([<position>] (window|windows|side window|side windows|car window|car"
        " windows)|(driver's|drivers|driver|passenger's|passengers|passenger)"
        " [side] (window|windows)|back windshield|rear windshield)"
    ),
    "<trunk_n>": (
        "(trunk|boot|tailgate|liftgate|lift gate|hatch|hatchback|rear hatch"
        "|back hatch|trunk lid|boot lid|cargo door|back door of the car)"
    ),
    "<hood_n>": (
        "(hood|bonnet|engine hood|engine cover|engine bonnet|front hood|frunk"
        "|front trunk|hood lid)"
    ),
    "<sunroof_car_n>": (
        "(sunroof|sun roof|moonroof|moon roof|panoramic roof|panorama roof"
        "|sliding roof|sun-roof)"
    ),
    "<sunroof_n>": "(<sunroof_car_n>|roof|top|soft top|glass roof|convertible top)",
    "<tell>": (
        "(tell me|do you know|check|let me know|can you check|could you check"
        "|please check|can you tell me|could you tell me|i want to know|i'd"
        " like to know|i wonder|find out)"
    ),
}


def _value(noun: str, *, car_only: bool) -> tuple[str, ...]:
    """Questions for a value: "what's the range of my car", "the golf's mileage"."""
    templates: tuple[str, ...] = (
        (
            f"<pre> <ask> <whats> [the|my|our] [current|remaining|present|latest|actual]"
            f" {noun} [<level>] [looking like|look like|looks like|like|at|now]"
            " <of_car> <post>"
        ),
        (
            f"<pre> <ask> <whats> <cars> [current|remaining|present|latest] {noun}"
            " [<level>] <post>"
        ),
        f"<pre> <ask> {noun} [<level>] <of_car> <post>",
        f"<pre> <ask> <cars> {noun} [<level>] <post>",
        (
            f"<pre> <tell> (what|how much|how high|how low|how big|how) [the|my|our]"
            f" [current|remaining] {noun} [<level>] <of_car> (is|are|looks like|says)"
        ),
        (
            f"<pre> <tell> (what|how much|how high|how low|how big|how) <cars>"
            f" [current|remaining] {noun} [<level>] (is|are|looks like|says)"
        ),
    )
    if car_only:
        templates += (
            (
                f"<pre> <ask> <whats> [the|my|our] [current|remaining|present|latest]"
                f" {noun} [<level>] [looking like|look like|like] <post>"
            ),
            f"<pre> <ask> [the|my|our] [current|remaining] {noun} [<level>] <post>",
            (
                f"<pre> <tell> (what|how much|how high|how low|how big|how) [the|my|our]"
                f" [current|remaining] {noun} [<level>] (is|are|looks like|says)"
            ),
        )
    return templates


def _opening(noun: str, *, car_only: bool) -> tuple[str, ...]:
    """Yes/no questions about doors, windows, lids: one of them or all of them."""
    state = "<state>"  # one set for all: the trigger merges these templates
    some = (
        "[the|a|any|all [of] the|all|both|one of the|any of the|some|my|all my"
        "|either|each]"
    )
    templates: tuple[str, ...] = (
        (
            f"<pre> <ask> (is|are|isn't|aren't|is there|are there|was|were) {some}"
            f" {noun} (of|on|in|at) <car> <now> [all] {state} <post>"
        ),
        (
            f"<pre> <ask> (is|are|isn't|aren't|is there|are there) {some} {noun}"
            f" <now> [all] {state} (of|on|in|at) <car> <post>"
        ),
        (
            f"<pre> <ask> (is|are|isn't|aren't) [all|both|any of] <cars> {noun}"
            f" <now> [all] {state} <post>"
        ),
        (
            f"<pre> <ask> (did|have|has) <someone> (leave|left|forget to close|forgot"
            f" to close|close|closed|shut|open|opened) {some} {noun} [{state}|properly]"
            f" (of|on|in|at) <car> [{state}|properly|again]"
        ),
        (
            f"<pre> <ask> (did|have|has) <someone> (leave|left|forget to close|forgot"
            f" to close|close|closed|shut|open|opened) [all|any of] <cars> {noun}"
            f" [{state}|properly|again]"
        ),
        (
            f"<pre> [all|both|any of] <cars> {noun} (is|are|isn't|aren't|is not|are"
            f" not) <now> [all] {state} {_TAG} <post>"
        ),
        (
            f"<pre> [the|all|all the|both] {noun} (of|on|in) <car> (is|are|isn't"
            f"|aren't|is not|are not) [all] {state} {_TAG}"
        ),
        (
            f"<pre> <tell> (if|whether) {some} {noun} (of|on|in) <car> (is|are)"
            f" [all] {state} [or not]"
        ),
        (
            f"<pre> <tell> (if|whether) [all|any of] <cars> {noun} (is|are) [all]"
            f" {state} [or not]"
        ),
        (
            f"<pre> <ask> (what about|how about|and|check) {some} {noun} (of|on|in)"
            " <car>"
        ),
        f"<pre> <ask> (what about|how about|and|check) <cars> {noun}",
    )
    if car_only:
        templates += (
            (
                f"<pre> <ask> (is|are|isn't|aren't) {some} {noun} <now> [all] {state}"
                f" <post>"
            ),
            (
                f"<pre> <ask> (did|have|has) <someone> (leave|left|forget to close"
                f"|forgot to close|close|closed|shut|open|opened) {some} {noun}"
                f" [{state}|properly|again]"
            ),
            (f"<pre> [the] {noun} (is|are|isn't|aren't|is not|are not) {state} {_TAG}"),
            f"<pre> <tell> (if|whether) {some} {noun} (is|are) {state} [or not]",
        )
    return templates


TEMPLATES: dict[V, tuple[str, ...]] = {
    V.RANGE: (
        *_value("<range_n>", car_only=True),
        (
            "<pre> <ask> how (far|many [more] <units_distance>|much (farther|further"
            "|longer))"
            " (can|could|will|would|do|does|may|might) (i|we|you|<car>) <now>"
            " (go|drive|get|travel|make it|run|do|last|manage|make|cover|ride)"
            " [(with|in|on) (<car>|what's left|what is left|the battery|the tank"
            "|this charge|the current charge|this tank|the remaining (fuel|charge"
            "|battery|energy)|the charge|one charge|a full tank|electric|battery"
            " only|electricity)] [before (i|we|it) (need|needs|have|has) to (charge"
            "|refuel|fill up|get gas|stop|charge or fill up|fill up or charge"
            "|recharge)|without (charging|refueling|refuelling|stopping|filling up)]"
            " <post>"
        ),
        (
            "<pre> <tell> how (far|many <units_distance>) (i|we|<car>) (can|could"
            "|will) <now> (go|drive|get|travel|make it) [(with|in|on) (<car>|what's"
            " left|this charge|this tank)]"
        ),
        (
            "<pre> <ask> how far (will|would|does|can) <car> <now> (go|get|take (me"
            "|us)|last|make it)"
        ),
        (
            "<pre> <ask> (what|how much) range (do|does|have|has|is|are) (i|we|<car>)"
            " [still] [got|have] [left|remaining] [(in|on|with|for) <car>] <post>"
        ),
        (
            "<pre> <ask> how much range (do|does|have|has|is|are) [i|we|<car>|there]"
            " [got|have] [left|remaining|still] [(in|on|with|for) <car>] <post>"
        ),
        (
            "<pre> <ask> how (many|much) <units_distance> (of range|range|to empty)"
            " (do|does|have|has|is|are) [i|we|<car>|there] [got|have] [left"
            "|remaining] [(in|on|with|for) <car>] <post>"
        ),
        (
            "<pre> <ask> how (many|much) <units_distance> (do|does|have|has|are|is)"
            " [i|we|<car>|there] [got|have|still] (left|remaining|to go|in the tank"
            "|in the battery|of charge|of fuel|on the battery|on the tank) [(in|on"
            "|with|for) <car>] <post>"
        ),
        (
            "<pre> <ask> how (many|much) <units_distance> [are|is] (left|remaining)"
            " [(in|on|with|for) <car>] <post>"
        ),
        (
            "<pre> <ask> how (many|much) <units_distance> (can|could|will) <car>"
            " <now> (go|drive|do|make|cover|manage)"
        ),
        (
            "<pre> <ask> ((do|will|would|does) (i|we|<car>) have|is there|will there"
            " be) enough (range|charge|battery|fuel|gas|petrol|diesel|juice|power"
            "|energy) [left] [(in|on) <car>] (for|to) {trip}"
        ),
        (
            "<pre> <ask> (is|will) [the|my] (range|remaining range|charge|battery"
            "|fuel) [<of_car>] [be] enough (for|to) {trip}"
        ),
        "<pre> <ask> how far (to|until|till) empty [<of_car>]",
        "<pre> <ask> (what is|what's|whats) the [remaining] range of {car} <post>",
        "<pre> <ask> how far can (i|we) (go|drive|get) (with|in) {car}",
        "<pre> <ask> how much range does {car} have [left]",
    ),
    V.FUEL: (
        *_value("<fuel_n>", car_only=True),
        *_value("<fuel_any_n>", car_only=False),
        (
            "<pre> <ask> how much (fuel|petrol|diesel) (do|does|have|has|is|are)"
            " [i|we|<car>|there] [got|have|still] [left|remaining|in the tank]"
            " [(in|on) (<car>|the tank|<cars> tank)] <post>"
        ),
        (
            "<pre> <ask> how much <fuelword> (does <car> have|has <car> got|is"
            " (left|there|still) (in|on) <car>|is in <car>|(do|have) (i|we) [got]"
            " [left] (in|on) <car>|(is|do i have|do we have) (left|remaining) (in"
            "|on) <car>|(is|do i have|do we have) [left] in the (tank|fuel tank|gas"
            " tank) (of|on|in) <car>) [left|remaining] <post>"
        ),
        (
            "<pre> <ask> how (full|empty) is <cars> (tank|fuel tank|gas tank|petrol"
            " tank) <post>"
        ),
        (
            "<pre> <ask> how (full|empty) is the (fuel|petrol|diesel) tank [<of_car>]"
            " <post>"
        ),
        "<pre> <ask> how (full|empty) is the (tank|gas tank) <of_car> <post>",
        (
            "<pre> <ask> (is|isn't) <cars> (tank|fuel tank|gas tank|petrol tank)"
            " <now> (full|empty|half full|half empty|low|nearly empty|almost"
            " empty|running low|getting low|on reserve) <post>"
        ),
        (
            "<pre> <ask> (is|isn't) the (fuel|petrol|diesel) tank [<of_car>] <now>"
            " (full|empty|half full|half empty|low|nearly empty|almost empty"
            "|running low|getting low|on reserve) <post>"
        ),
        (
            "<pre> <ask> (is|isn't) <car> [running|getting] (low|short) on <fuelword>"
            " <post>"
        ),
        (
            "<pre> <ask> (am|are) (i|we) [running|getting] (low|short) on <fuelword>"
            " [(in|with) <car>] <post>"
        ),
        (
            "<pre> <ask> (is|isn't) <car> (almost|nearly|about to run|running) (out"
            " of|empty of|out on) <fuelword> <post>"
        ),
        (
            "<pre> <ask> (is|isn't) <car> (running on empty|on reserve|in reserve"
            "|on fumes|empty)"
        ),
        (
            "<pre> <ask> (do|will|would|should|must|shall) (i|we) [need to|have to"
            "|got to|gotta] (fill up|refuel|refill|tank up|top up the tank|get"
            " (gas|fuel|petrol|diesel)|buy (gas|fuel|petrol|diesel)|go to the"
            " (gas|petrol|fuel) station|stop for (gas|fuel|petrol|diesel)|fill"
            " (up|it up)) [(for|with) <car>|<car>] [up|soon|today|now|before"
            " tomorrow|tomorrow]"
        ),
        (
            "<pre> <ask> (does|do) <car> need (fuel|gas|petrol|diesel|filling"
            " up|refueling|refuelling|a refill|to be filled up|to be refueled|to be"
            " refuelled|a fill up)"
        ),
        (
            "<pre> <ask> how many (liters|litres|gallons|l) [of (fuel|petrol|diesel"
            "|gas)] (are|is|do|does) [there|i|we|<car>] [have|got|still] [left]"
            " ((in|on) (the|my) tank|in <cars> tank|(in|on) <car>|left|remaining)"
            " <post>"
        ),
        "<pre> <ask> (what is|what's|whats) the fuel level of {car} <post>",
        "<pre> <ask> how much (fuel|petrol|diesel) does {car} have [left]",
    ),
    V.CHARGE: (
        *_value("<charge_car_n>", car_only=True),
        *_value("<charge_n>", car_only=False),
        (
            "<pre> <ask> how much (battery|charge|juice|power|energy|electricity"
            "|battery power|battery charge) (does <car> have|has <car> got|is"
            " (left|there|still) (in|on) <car>|is in <car>|(do|have) (i|we) [got]"
            " [left] (in|on) <car>) [left|remaining] <post>"
        ),
        (
            "<pre> <ask> how (charged|full|empty|much charged|full charged) is <cars>"
            " [battery|ev battery|drive battery] <post>"
        ),
        "<pre> <ask> how (charged|full|empty) is <car> <post>",
        (
            "<pre> <ask> (what|which) (percentage|percent|level|soc) (is|does|has)"
            " <cars> [battery|charge] [at|on|have|show|got|showing] <post>"
        ),
        (
            "<pre> <ask> how many percent (does <car> have|has <car> got|is <car>"
            " at|is <cars> (battery|charge)|(does|has) <cars> battery (have|got))"
            " <post>"
        ),
        (
            "<pre> <ask> (is|isn't) <cars> (battery|charge|ev battery) <now> (full"
            "|empty|low|charged|fully charged|dead|flat|ok|okay|good|high|getting"
            " low|running low|almost empty|nearly empty) <post>"
        ),
        (
            "<pre> <ask> (is|isn't) <car> <now> (fully charged|charged|full|low on"
            " (battery|charge|juice)|running low on (battery|charge|juice)|almost"
            " (empty|dead|flat)|nearly (empty|dead|flat)|charged up|topped up"
            "|ready to drive) <post>"
        ),
        (
            "<pre> <ask> (do|will|would|should|must|shall) (i|we) [need to|have to"
            "|got to|gotta] (charge|plug in|recharge|top up) <car> [up|in|soon"
            "|today|tonight|now|before tomorrow]"
        ),
        (
            "<pre> <ask> (does|do) <car> need (charging|to be charged|a charge|to"
            " charge|power|juice|to be plugged in)"
        ),
    ),
    V.CHARGING: (
        (
            "<pre> <ask> (is|isn't) <car> <now> (charging|plugged in|plugged|connected"
            "|connected to the charger|on charge|on the charger|hooked up|hooked up"
            " to the charger|on the plug|being charged|getting charged|loading"
            "|charging up|done charging|finished charging|still charging) [right"
            " now|now|at the moment|yet|still|or not|correctly|properly] <post>"
        ),
        (
            "<pre> <ask> (is|isn't) <cars> <cable_n> <now> (plugged in|connected|in"
            "|attached|inserted|plugged|in place|connected properly) <post>"
        ),
        (
            "<pre> <ask> (is|isn't) the <cable_n> <now> (plugged|connected"
            "|attached|inserted|in|hooked up|plugged in) (in|into|to|in to) <car>"
            " <post>"
        ),
        (
            "<pre> <ask> (did|have|has) <someone> [forget to|forgot to|remember to"
            "|remembered to] (plug|plugged|connect|connected|hook|hooked) [in|up] <car>"
            " [in|up] [to charge|to the charger|for charging|tonight|today]"
        ),
        (
            "<pre> <ask> (when|what time|at what time|how soon|by when) (will|is|does"
            "|would|'ll) <car> [be|get|finish|finishes|have|reach|going to be] [fully"
            "|completely|a hundred percent] (charged|full|done charging|finished"
            " charging|done|ready|at (100|a hundred|hundred) percent|charging|full"
            " charge|topped up|charged up|charged fully)"
        ),
        (
            "<pre> <ask> how (long|much longer|much time|many (minutes|hours)) (until"
            "|till|before|'til|left until|remains until|is left until|until) <car>"
            " (is|gets|will be|has|'s) <now> [fully|completely] (charged|full|done"
            "|finished|done charging|finished charging|topped up|charged up|at (100"
            "|a hundred|hundred) percent)"
        ),
        (
            "<pre> <ask> how (long|much longer|much time) (does|will|is|would|has)"
            " <car> <now> (need|take|have|be|got) [to charge|to be charged|charging"
            "|to be full|to fully charge|to finish charging|to get full|left|until"
            " full|until it's full|until it is full|to charge up|to top up] <post>"
        ),
        (
            "<pre> <ask> how (long|much longer) (is|will) <car> <now> (charging|be"
            " charging|going to charge|going to be charging|charge)"
        ),
        (
            "<pre> <ask> (what is|what's|whats|tell me|how is|how's) <cars>"
            " <charging_n> <post>"
        ),
        (
            "<pre> <ask> (what is|what's|whats|tell me|how is|how's) the <charging_n>"
            " <of_car> <post>"
        ),
        (
            "<pre> <ask> (what is|what's|whats) the (remaining|estimated|expected)"
            " (charging|charge) time <of_car> <post>"
        ),
        (
            "<pre> <ask> how (fast|quickly|much power|many kilowatts|many kw|much"
            " current) (is|does) <car> <now> (charging|charge|charging with|charge"
            " at|pull|draw|pulling|drawing|charging at)"
        ),
        "<pre> <ask> time to (full|full charge|fully charged) <of_car>",
        (
            "<pre> <ask> how (long|much longer|much time) (until|till|before|'til)"
            " <car> (finishes|completes|stops|is done|is finished|'s done) [charging]"
            " <post>"
        ),
        (
            "<pre> <ask> (has|did|is) <car> <now> (finished|finish|done|stopped|stop"
            "|completed|complete|ended|end) charging [yet|already]"
        ),
        "<pre> <ask> (is|isn't) <car> (charging|plugged in) or not",
    ),
    V.MILEAGE: (
        *_value("<mileage_n>", car_only=True),
        (
            "<pre> <ask> how (many|much) <units_distance> (does|has|is|are|did|have)"
            " <car> [got|have|done|driven|traveled|travelled|clocked|covered|on it|had]"
            " [on it|on the clock|on the odometer|in total|altogether|so far"
            "|overall|by now|now|all together|total] <post>"
        ),
        (
            "<pre> <ask> how (many|much) <units_distance> are (on|in) <car> [now"
            "|already|by now|in total|on the clock]"
        ),
        (
            "<pre> <ask> how (many|much) <units_distance> (have|did) (i|we) (driven"
            "|done|put on|drove|traveled|travelled|covered) [(with|in|on) <car>] [in"
            " total|so far|altogether|overall|all together]"
        ),
        (
            "<pre> <ask> how (far|much) has <car> (driven|gone|traveled|travelled"
            "|done|been driven|run) [in total|so far|overall|altogether|in its"
            " life|ever]"
        ),
        (
            "<pre> <ask> what does (the|my|<cars>) (odometer|odo|mileage"
            " counter|kilometer counter|kilometre counter|trip counter|mileage"
            " meter) (say|show|read|read out|display|tell)"
        ),
        (
            "<pre> <ask> (what is|what's|whats) the (mileage|odometer reading"
            "|odometer) of {car} <post>"
        ),
    ),
    V.TIRE_PRESSURE: (
        *_value("<tyre_n>", car_only=True),
        (
            "<pre> <ask> (are|is|isn't|aren't) <cars> (<tyres>|<tyre_n>) [all] <now>"
            " <tyre_ok> <post>"
        ),
        (
            "<pre> <ask> (are|is|isn't|aren't) [the|my|all|all the|all my] (<tyres>"
            "|<tyre_n>) [(of|on|in) <car>] [all] <now> <tyre_ok> [(of|on|in) <car>]"
            " <post>"
        ),
        (
            "<pre> <ask> (do|does) [the|my|any of the|any of my] <tyres> [(of|on)"
            " <car>] need (air|pumping|pumping up|inflating|to be pumped [up]|to be"
            " inflated|more air|filling|filling up|topping up)"
        ),
        (
            "<pre> <ask> (do|does) [any of] <cars> <tyres> need (air|pumping|pumping"
            " up|inflating|to be pumped [up]|to be inflated|more air|filling|filling"
            " up|topping up)"
        ),
        (
            "<pre> <ask> (does|do) <car> need (air|air in the (tires|tyres)|more air"
            "|the tires pumped|the tyres pumped)"
        ),
        (
            "<pre> <ask> how much (air|pressure) (is|do|does|have|has) [there] [got]"
            " (in|on) [the|my|<cars>] <tyres> [<of_car>] [have|got] <post>"
        ),
        (
            "<pre> <ask> (what is|what's|whats|check|tell me|how is|how's|hows|what"
            " are) the (pressure|air pressure|air|pressures) (in|of|on) [the|my"
            "|<cars>] <tyres> [<of_car>] <post>"
        ),
        (
            "<pre> <ask> (is|does) (any|a|one|the) <tyres> [(of|on) <car>] (low"
            "|flat|losing air|have low pressure|underinflated|under inflated"
            "|going flat)"
        ),
        (
            "<pre> <ask> (is there|do i have|have i got) (a flat|a flat tire|a flat"
            " tyre|a puncture|low tire pressure|low tyre pressure) (on|in|with) <car>"
        ),
        (
            "<pre> <ask> (does|do|has) <car> [got] (have a flat|have low tire"
            " pressure|have low tyre pressure|a flat|a flat tire|a flat tyre|a"
            " puncture|low tire pressure|low tyre pressure)"
        ),
        ("<pre> <ask> (what is|what's|whats) the (tire|tyre) pressure of {car} <post>"),
    ),
    V.BATTERY_12V: (
        *_value("<lv_car_n>", car_only=True),
        *_value("<lv_n>", car_only=False),
        (
            "<pre> <ask> (is|isn't|how is|how's|hows) <cars> <lv_n> <now>"
            " [<battery_ok>] <post>"
        ),
        (
            "<pre> <ask> (is|isn't|how is|how's|hows) the <lv_car_n> [<of_car>] <now>"
            " [<battery_ok>] <post>"
        ),
        (
            "<pre> <ask> (is|isn't|how is|how's|hows) the <lv_n> <of_car> <now>"
            " [<battery_ok>] <post>"
        ),
        "<pre> <ask> (does|do) <car> need a (new|jump|jump start) [<lv_n>]",
    ),
    V.OUTSIDE_TEMPERATURE: (
        *_value("<outside_n>", car_only=False),
        (
            "<pre> <ask> <whats> the <outside_n> (by|near|around|where|at) <car> [is]"
            " [parked] <post>"
        ),
        (
            "<pre> <ask> how (cold|warm|hot|chilly|cool|freezing) is it outside"
            " [(of|at|by|near|around|next to)] <car> <post>"
        ),
        (
            "<pre> <ask> <whats> the (temperature|temp) outside [(of|at|by|near"
            "|around)] <car> <post>"
        ),
        (
            "<pre> <ask> (what|which) [outside] (temperature|temp) does <car> (say|show"
            "|measure|read|report|display|give) [(it is|it's|there is)] outside"
            " <post>"
        ),
        (
            "<pre> <ask> (what is|what's|whats|how cold is it|how warm is it|how hot"
            " is it|what temperature is it|how many degrees is it|tell me the"
            " temperature) [the temperature] [outside] (where|at the place where|at"
            " the spot where|where ever|wherever) <car> is [parked|standing|right"
            " now|now]"
        ),
        (
            "<pre> <ask> (is|isn't) it <warm_adj> outside (at|by|near|where|around)"
            " <car> [is] [parked] <post>"
        ),
        (
            "<pre> <ask> how many degrees (is it|are there|are we at) outside"
            " [(of|at|by|near)] <car>"
        ),
    ),
    V.CABIN_TEMPERATURE: (
        *_value("<temp_n>", car_only=False),
        *_value("<cabin_temp_n>", car_only=True),
        (
            "<pre> <ask> how (warm|cold|hot|chilly|cool|freezing) is it <now> (in"
            "|inside|in the inside of|in the cabin of|inside of) <car> <post>"
        ),
        (
            "<pre> <ask> how (warm|cold|hot|chilly|cool|freezing) is <car> [inside|on"
            " the inside|in there|in the cabin] <post>"
        ),
        (
            "<pre> <ask> (is|isn't) it [already|still|getting|yet|now] <warm_adj> (in"
            "|inside|in the inside of|in the cabin of) <car> [yet|already|now|right"
            " now|inside|enough] <post>"
        ),
        (
            "<pre> <ask> (is|isn't) <car> [already|still|nice and|getting|now|yet]"
            " (<warm_adj>|warmed up|heated up|heated|preheated|pre heated"
            "|pre-heated|warm inside|cold inside|defrosted|ready) [inside|yet"
            "|already|now|right now|enough|inside yet] <post>"
        ),
        (
            "<pre> <ask> (has|did|have) <car> (warmed up|heated up|warm up|heat up"
            "|gotten warm|got warm|become warm|gotten warmer|got warmer|defrosted)"
            " [yet|already|enough] <post>"
        ),
        (
            "<pre> <ask> how many degrees (is it|are there|are we at|does it have)"
            " (in|inside) <car> <post>"
        ),
        (
            "<pre> <ask> (what|which) temperature (is it|does it have|is) (in|inside)"
            " <car> <post>"
        ),
        (
            "<pre> <ask> how (warm|cold|hot) (is|has) it (got|gotten|become) (in"
            "|inside) <car> <post>"
        ),
    ),
    V.CLIMATE: (
        (
            "<pre> <ask> (is|are|isn't|aren't) [the] <heater_n> <now> <heater_on>"
            " (in|of|on|for|at) <car> <post> [or not|or off]"
        ),
        (
            "<pre> <ask> (is|are|isn't|aren't) [the] <heater_n> (in|of|on|for|at)"
            " <car> <now> <heater_on> <post> [or not|or off]"
        ),
        (
            "<pre> <ask> (is|are|isn't|aren't) <cars> <heater_n> <now> <heater_on>"
            " <post> [or not|or off]"
        ),
        (
            "<pre> <ask> (is|are|isn't|aren't) [the] <precond_n> <now> <heater_on>"
            " <post> [or not|or off]"
        ),
        (
            "<pre> <ask> (is|isn't) <car> <now> <heating_verb> [up|yet|right now|now"
            "|or not|at the moment|already|still] <post>"
        ),
        (
            "<pre> <ask> (did|has|have) [the] <heater_n> (start|started|come on|came"
            " on|turn on|turned on|switch on|switched on|kick in|kicked in|begin"
            "|begun) (in|of|on|for) <car> [yet|already]"
        ),
        (
            "<pre> <ask> (did|has|have) <cars> <heater_n> (start|started|come on|came"
            " on|turn on|turned on|switch on|switched on|kick in|kicked in) [yet"
            "|already]"
        ),
        (
            "<pre> <ask> (did|has|have) <car> (start|started|begin|begun) <heating_verb>"
            " [yet|already]"
        ),
        (
            "<pre> <ask> (did|has|have) [the] <precond_n> (start|started|come on|came"
            " on|turn on|turned on|switch on|switched on|kick in|kicked in|begin"
            "|begun|finish|finished|stop|stopped) [yet|already]"
        ),
        "<pre> [the] <cars> <heater_n> (is|isn't|is not) <heater_on> {_TAG}".replace(
            "{_TAG}", _TAG
        ),
        "<pre> [the] <heater_n> (in|of) <car> (is|isn't|is not) <heater_on>"
        " {_TAG}".replace("{_TAG}", _TAG),
        "<pre> <car> (is|isn't|is not) <heating_verb> {_TAG}".replace("{_TAG}", _TAG),
        (
            "<pre> <ask> (what is|what's|whats|how is|how's) [the] (status|state"
            "|setting|temperature setting|target temperature|target|set"
            " temperature) of [the] <heater_n> <of_car> <post>"
        ),
        (
            "<pre> <ask> (what is|what's|whats|how is|how's) <cars> <heater_n>"
            " (status|state|set to|doing|setting|target|target temperature|up to)"
            " <post>"
        ),
        "<pre> <ask> (what|which) temperature is <cars> <heater_n> set to <post>",
        (
            "<pre> <ask> (what|which) temperature is the <heater_n> <of_car> set to"
            " <post>"
        ),
        (
            "<pre> <tell> (if|whether) [the] <heater_n> (in|of|on) <car> is <heater_on>"
            " [or not]"
        ),
        "<pre> <tell> (if|whether) <car> is <heating_verb> [or not]",
    ),
    V.LOCK: (
        (
            "<pre> <ask> (is|isn't|was) <car> <now> (locked|unlocked|locked up"
            "|secured|secure|open for anyone|unsecured|unlocked still) [properly|up"
            "|right now|now|at the moment|or not|or unlocked|or locked|yet|again"
            "|tight] <post>"
        ),
        (
            "<pre> <ask> (did|have|has) <someone> [forget to|forgot to|remember to"
            "|remembered to|actually|really] lock[ed] [up] <car> [up|properly|yet"
            "|today|tonight|again|earlier|when i left|when we left]"
        ),
        "<pre> <ask> did <someone> (forget|forgot) to lock <car> [up]",
        (
            "<pre> <ask> (is|are|isn't|aren't) <cars> (doors|door|lock|locks|central"
            " locking|door locks|doors locked) [all] <now> (locked|unlocked"
            "|secured|engaged|on|off) <post>"
        ),
        (
            "<pre> <ask> (is|are|isn't|aren't) [the|all the|all] (doors|door|lock"
            "|locks|central locking|door locks) (of|on|in) <car> [all] <now>"
            " (locked|unlocked|secured|engaged) <post>"
        ),
        "<pre> <car> is <now> (locked|unlocked|locked up) {_TAG}".replace(
            "{_TAG}", _TAG
        ),
        "<pre> <car> (isn't|is not|wasn't) (locked|unlocked) {_TAG}".replace(
            "{_TAG}", _TAG
        ),
        (
            "<pre> <ask> (what is|what's|whats|tell me|how is|how's) [the] (lock"
            "|locking|door lock|central locking) (status|state) <of_car> <post>"
        ),
        (
            "<pre> <ask> (what is|what's|whats|tell me|how is|how's) <cars> (lock"
            "|locking|door lock|central locking) [status|state] <post>"
        ),
        (
            "<pre> <tell> (if|whether) <car> is <now> (locked|unlocked|locked up)"
            " [or not]"
        ),
        "<pre> <tell> (if|whether) (i|we) locked <car> [up]",
    ),
    V.OPENINGS: (
        (
            "<pre> <ask> (is|isn't|was) (anything|something|nothing|everything|all"
            "|any thing|every thing) <now> [else] (open|opened|left open|ajar"
            "|closed|shut|closed up|secure|not closed|not shut|open still) (on|in|at"
            "|with|about) <car> <post>"
        ),
        (
            "<pre> <ask> (is|are|isn't|aren't) there (anything|something|any"
            " thing|any (openings|doors or windows|windows or doors)) <now> [else]"
            " (open|opened|left open|ajar|not closed) (on|in|at) <car> <post>"
        ),
        (
            "<pre> <ask> (is|isn't) (anything|something|nothing|everything) (on|in"
            "|at) <car> <now> (open|opened|left open|ajar|closed|shut) <post>"
        ),
        (
            "<pre> <ask> (did|have|has) <someone> (leave|left|forget|forgot) (anything"
            "|something|a door or [a] window|any doors or windows|anything else|any"
            " windows or doors) (open|opened|unlocked|unclosed) (on|in|at) <car>"
        ),
        (
            "<pre> <ask> (what is|what's|whats|what are|what|which things are) <now>"
            " [else] (open|opened|left open|not closed|ajar) (on|in|at) <car> <post>"
        ),
        (
            "<pre> <ask> (is|isn't) <car> [all|completely|fully|properly|totally"
            "|securely|all the way|everywhere] (closed|shut|closed up|shut up|sealed"
            "|buttoned up|open|opened) [properly|up|completely|everywhere|tight"
            "|right now|now] <post>"
        ),
        (
            "<pre> <ask> (are|is|aren't|isn't) [all] [the|of the] (doors and"
            " windows|windows and doors|doors windows and (trunk|boot)|openings"
            "|doors windows and sunroof) (of|on|in) <car> [all] <now> (closed|shut"
            "|open|opened) <post>"
        ),
        (
            "<pre> <ask> (are|is|aren't|isn't) [all] <cars> (doors and windows"
            "|windows and doors|openings) [all] <now> (closed|shut|open|opened)"
            " <post>"
        ),
        (
            "<pre> <ask> (anything|something) (open|left open|opened) (on|in|at)"
            " <car> <post>"
        ),
        "<pre> <car> is [all|completely|fully] (closed|shut) [up] {_TAG}".replace(
            "{_TAG}", _TAG
        ),
        "<pre> (nothing|everything) (is|is still|was) (open|left open|closed"
        "|shut) (on|in|at) <car> {_TAG}".replace("{_TAG}", _TAG),
        (
            "<pre> <tell> (if|whether) (anything|something) (is|was) <now> (open"
            "|left open) (on|in|at) <car>"
        ),
        (
            "<pre> <tell> (if|whether) <car> is <now> (all|completely|properly)"
            " (closed|shut)"
        ),
        (
            "<pre> <ask> (what is|what's|whats) [the] (status|state) of [the] (doors"
            " and windows|windows and doors|openings) <of_car>"
        ),
    ),
    V.DOORS: _opening("<door_n>", car_only=False),
    V.WINDOWS: _opening("<window_n>", car_only=False),
    V.TRUNK: _opening("<trunk_n>", car_only=True),
    V.HOOD: _opening("<hood_n>", car_only=True),
    V.SUNROOF: (
        *_opening("<sunroof_car_n>", car_only=True),
        *_opening("<sunroof_n>", car_only=False),
    ),
    V.AT_HOME: (
        (
            "<pre> <ask> (is|isn't|was) <car> [already|still|yet|back|safely|parked"
            "|standing|sitting|now] (at home|home|in the garage|in the driveway|on"
            " the driveway|in the drive|outside the house|in front of the house|at"
            " the house|back home|here|in the carport|at our place|at my place)"
            " [yet|already|now|right now|at the moment|safely] <post>"
        ),
        (
            "<pre> <ask> (did|has|have) <car> (get|got|gotten|come|came|arrive|arrived"
            "|make it|made it|return|returned) [back] home [yet|already|safely]"
        ),
        (
            "<pre> <ask> (did|have|has) <someone> (park|parked|leave|left|bring"
            "|brought) <car> [back] (at home|home|in the garage|in the driveway)"
        ),
        "<pre> <car> is (at home|home|in the garage) {_TAG}".replace("{_TAG}", _TAG),
        "<pre> <tell> (if|whether) <car> is [back] (at home|home|in the garage)",
    ),
    V.LOCATION: (
        (
            "<pre> <ask> (where is|where's|wheres|where are|where|where was) <car>"
            " [parked|located|standing|now|right now|at the moment|currently|at"
            "|these days|exactly|gone|driving|going|sitting|at right now] <post>"
        ),
        (
            "<pre> <ask> where (did|have|has) <someone> (park|parked|leave|left|put"
            "|drive|driven|take|taken|drove|took) <car> [to|today|last|this time"
            "|yesterday|last night]"
        ),
        (
            "<pre> <ask> where (did|have) (i|we) (park|parked) [it|today|this"
            " time|last|the last time]"
        ),
        ("<pre> <tell> where <car> is [parked|located|right now|now|at the moment]"),
        "<pre> <ask> where can (i|we) find <car>",
        (
            "<pre> <ask> (what is|what's|whats|tell me|show me|give me) [the]"
            " (location|position|whereabouts|gps position|current location|parking"
            " spot|parking place|parking location|current position) <of_car> <post>"
        ),
        (
            "<pre> <ask> (what is|what's|whats|tell me|show me|give me) <cars>"
            " (location|position|whereabouts|parking spot|current location|current"
            " position|gps position) <post>"
        ),
        (
            "<pre> <ask> how far (away|from here|from home|from the house|away from"
            " (here|home|me|us|the house)) is <car> [parked|now|right now]"
        ),
        (
            "<pre> <ask> how far is <car> [away|from (here|home|me|us|the house)]"
            " [right now|now]"
        ),
        "<pre> <ask> (find|locate|track) <car> [for me]",
        (
            "<pre> <ask> (is|isn't) <car> (nearby|close|close by|near|far|far away"
            "|around|around here|near here|near home|moving|driving|on the road|on"
            " the move|being driven|on its way|on the way [home]|away|out|gone)"
            " <post>"
        ),
    ),
    V.FRESHNESS: (
        (
            "<pre> <ask> when (did|was|has|have) <car> last (report|reported|update"
            "|updated|check in|checked in|sync|synced|send|sent|online|seen|heard"
            " from|contact|contacted|talk|connect|connected|ping|pinged|phone"
            " home|report in|refresh|refreshed) [in|home|data|anything|its data"
            "|its status|status|to (us|home|the cloud|home assistant)] <post>"
        ),
        (
            "<pre> <ask> when (did|was|is) [the] (last|latest|most recent|newest)"
            " (update|report|sync|check in|contact|data|message|data update|status"
            " update|signal|refresh) (from|of|for|by) <car> <post>"
        ),
        (
            "<pre> <ask> when did (i|we|you) last (hear|get data|get an update) from"
            " <car>"
        ),
        (
            "<pre> <ask> how (old|fresh|recent|current|up to date|new|stale|accurate"
            "|reliable) (is|are) [the] (data|info|information|status|values"
            "|readings|numbers|details|state|figures) (of|from|for|about|on) <car>"
        ),
        (
            "<pre> <ask> how (old|fresh|recent|current|up to date|new|stale|accurate)"
            " (is|are) <cars> (data|info|information|status|values|readings|numbers"
            "|details|state|figures)"
        ),
        (
            "<pre> <ask> (is|are|isn't|aren't) <cars> (data|info|information|status"
            "|values|readings|numbers|details|figures) <now> (up to date|current"
            "|fresh|recent|old|stale|live|accurate|outdated|out of date|real time"
            "|valid) [or not]"
        ),
        (
            "<pre> <ask> (is|are|isn't|aren't) [the] (data|info|information|status"
            "|values|readings|numbers) (from|of|for|about|on) <car> <now> (up to"
            " date|current|fresh|recent|old|stale|live|accurate|outdated|out of"
            " date|real time) [or not]"
        ),
        (
            "<pre> <ask> (is|isn't) <car> <now> (online|connected|awake|asleep"
            "|sleeping|reachable|offline|reporting|in contact|responding|talking to"
            " us|sending data|connected to the internet|on line)"
        ),
        (
            "<pre> <ask> (when|what time) (was|did) <car> (last seen|last updated"
            "|update last)"
        ),
    ),
    V.ALL: (
        (
            "<pre> <ask> (how is|how's|hows|how are|what about|what's up with|whats"
            " up with|what is up with|what's new with|what's going on with) <car>"
            " [doing|looking|getting on|today|right now|at the moment] <post>"
        ),
        (
            "<pre> <ask> (give me|tell me|read me|i want|i'd like|get me|show me"
            "|what's|what is) [a|an|the] [quick|short|full|brief|complete|current]"
            " (status|status update|status report|update|summary|report|overview"
            "|rundown|check|state|condition|vehicle status|car status) (of|on|for"
            "|about|from) <car> <post>"
        ),
        (
            "<pre> <ask> (what is|what's|whats) [the] (status|state|condition"
            "|overall status|general state) <of_car> <post>"
        ),
        (
            "<pre> <ask> [(what is|what's|whats|give me|tell me|show me)] <cars>"
            " (status|state|condition|report|summary|overview|status report) <post>"
        ),
        (
            "<pre> <ask> (check|check on|check up on|look at|have a look at) <car>"
            " [for me|please]"
        ),
        "<pre> <ask> status (of|for|on) <car> <post>",
        (
            "<pre> <ask> (is|isn't) everything (ok|okay|alright|all right|fine|good"
            "|in order) with <car> <post>"
        ),
        (
            "<pre> <ask> (is|isn't) <car> (ok|okay|alright|all right|fine|good"
            "|ready|ready to go|ready for tomorrow|good to go|in good shape) <post>"
        ),
        (
            "<pre> <ask> (anything|something) (new|wrong|i should know) (with|about)"
            " <car>"
        ),
    ),
    V.CLIMATE_STOP: (
        (
            "<pre> <ask2> <off_verb> off [the] <heater_n> (in|of|on|for|at) <car>"
            " [now|please|again]"
        ),
        ("<pre> <ask2> <off_verb> [off] <cars> <heater_n> [off] [now|please|again]"),
        (
            "<pre> <ask2> <off_verb> [the] <heater_n> (in|of|on|for|at) <car> off"
            " [now|please]"
        ),
        (
            "<pre> <ask2> <off_verb> [the] <heater_n> off (in|of|on|for|at) <car>"
            " [now|please]"
        ),
        ("<pre> <ask2> <off_verb> off <car> [heater|heating|climate|ac] [now|please]"),
        (
            "<pre> <ask2> <stop_verb> [the] (<heater_n>|warming up|heating up|warm"
            " up|warm-up|heating|climate|defrosting) (in|of|on|for|at) <car>"
            " [now|please]"
        ),
        (
            "<pre> <ask2> <stop_verb> <cars> (<heater_n>|warm up|warming up"
            "|heating|warm-up) [now|please]"
        ),
        "<pre> <ask2> <stop_verb> [the] <precond_n> [now|please]",
        (
            "<pre> <ask2> (stop|quit|cease) (warming up|heating up|heating"
            "|preheating|pre heating|preconditioning|pre conditioning|defrosting"
            "|cooling|climatizing|warming) <car> [now|please]"
        ),
        (
            "<pre> <ask2> (stop|cancel|end|abort) (preheating|pre heating"
            "|preconditioning|pre conditioning) [now|please]"
        ),
        (
            "<pre> (don't|do not|no need to|there's no need to|you don't need to"
            "|you can stop|no more|stop trying to) (heat|warm up|heat up|preheat"
            "|precondition|heating|warming up|preheating|defrost) <car> [anymore|any"
            " more|any longer|after all|today|now]"
        ),
        (
            "<pre> <ask2> (let|have|make) <car> stop (heating|warming up"
            "|preconditioning|preheating)"
        ),
        (
            "<pre> <car> (doesn't|does not|no longer) need (heating|to be heated|to"
            " warm up|to be warmed up|preheating) [anymore|any more]"
        ),
    ),
    V.CLIMATE_START: (
        (
            "<pre> <ask2> <heat_verb> <car> [up] [a bit|a little|please|now|right"
            " now|for me|for us|now please|again|before i leave|before we leave"
            "|for the drive]"
        ),
        (
            "<pre> <ask2> (get|make) <car> [nice and|a bit|a little|all|really]"
            " (warm|warmer|toasty|cozy|cosy|comfortable|nice|warmed up|heated"
            " up|defrosted|ready|preheated|pre heated) [for me|please|now]"
        ),
        (
            "<pre> <ask2> <on_verb> on [the] <heater_n> (in|of|on|for|at) <car>"
            " [now|please|again|for me]"
        ),
        (
            "<pre> <ask2> <on_verb> [on] <cars> <heater_n> [on] [now|please|again"
            "|for me]"
        ),
        (
            "<pre> <ask2> <on_verb> [the] <heater_n> on (in|of|on|for|at) <car>"
            " [now|please|again|for me]"
        ),
        (
            "<pre> <ask2> (start|activate|enable|begin|run|launch|kick off|engage"
            "|turn on|switch on) [the] (<heater_n>|warming up|heating up|warm up"
            "|warm-up) (in|of|on|for|at) <car> [now|please|again|for me]"
        ),
        (
            "<pre> <ask2> (start|activate|enable|begin|run|launch|engage|kick off)"
            " <cars> (<heater_n>|warm up|warm-up) [now|please|again|for me]"
        ),
        (
            "<pre> <ask2> (start|activate|enable|begin|run|launch|turn on|switch"
            " on) [the] <precond_n> [now|please|again|for me]"
        ),
        (
            "<pre> <ask2> (start|begin) (preconditioning|preheating|pre heating"
            "|warming up|heating|heating up|defrosting|conditioning|climatizing"
            "|warming) <car> [now|please|again|for me]"
        ),
        (
            "<pre> <ask2> (start|begin|do) (preconditioning|preheating|pre heating"
            "|pre conditioning) [now|please|again]"
        ),
        (
            "<pre> <ask2> (let|have) <car> (warm up|heat up|preheat|precondition"
            "|defrost|get warm)"
        ),
        (
            "<pre> i (want|would like|'d like|need) <car> [to be|to get] (warm"
            "|warmed up|heated|heated up|preheated|toasty|defrosted|warm when i"
            " leave|nice and warm)"
        ),
    ),
    V.CLIMATE_SET: (
        "<pre> <ask2> <heat_verb> <car> [up] <to_temp> [please|now]",
        (
            "<pre> <ask2> (set|put|turn|change|adjust|bring) <car> [heater|heating"
            "|climate|temperature|thermostat|temp|ac] <to_temp> [please|now]"
        ),
        (
            "<pre> <ask2> (set|put|turn|change|adjust) [the] (<heater_n>|temperature"
            "|thermostat|target temperature|target|temp|cabin temperature) (in|of"
            "|on|for|at) <car> <to_temp> [please|now]"
        ),
        (
            "<pre> <ask2> (set|put|turn|change|adjust) <cars> (<heater_n>"
            "|temperature|thermostat|target temperature|target|temp|cabin"
            " temperature) <to_temp> [please|now]"
        ),
        (
            "<pre> <ask2> (make|get) <car> [nice and] [warm] {temperature} (degrees"
            "|degree|celsius|fahrenheit|degrees celsius|degrees fahrenheit)"
        ),
        (
            "<pre> <ask2> (start|turn on|switch on) [the] <heater_n> (in|of|on|for)"
            " <car> (at|to|with) {temperature} [degrees|degree|celsius|fahrenheit]"
        ),
        (
            "<pre> <ask2> (start|turn on|switch on) <cars> <heater_n> (at|to|with)"
            " {temperature} [degrees|degree|celsius|fahrenheit]"
        ),
        (
            "<pre> i (want|would like|'d like) <car> [to be] [at] {temperature}"
            " (degrees|degree|celsius|fahrenheit)"
        ),
    ),
    V.LOCK_CAR: (
        "<pre> <ask2> lock [up] <car> [up] [for me|now|please|again|right now]",
        (
            "<pre> <ask2> lock [the|all|all the] [<position>] (doors|door) (of|on"
            "|in) <car> [for me|now|please]"
        ),
        "<pre> <ask2> lock <cars> (doors|door) [for me|now|please]",
        "<pre> (make sure|ensure) <car> is locked",
    ),
    V.UNLOCK_CAR: (
        "<pre> <ask2> unlock <car> [for me|now|please|again|right now]",
        (
            "<pre> <ask2> unlock [the|all|all the] [<position>] (doors|door) (of|on"
            "|in) <car> [for me|now|please]"
        ),
        "<pre> <ask2> unlock <cars> (doors|door) [for me|now|please]",
    ),
}

ENGLISH = Language("en", FRAGMENTS, TEMPLATES, possessive="'s")
