"""Rule families written for wording the rules had not seen: each with invented examples.

Every family is tested with more than one wording and with a near miss that must stay quiet,
so a rule that only matches one ad's words fails here.
"""

from __future__ import annotations

import pytest

from scoring.ages import stated_ages
from scoring.indicators import AdText
from scoring.textnorm import Normaliser


def _codes(scorer, text: str, title: str = "") -> set[str]:
    return {h.code for h in scorer.analyse(AdText(1, text, title)).hits}


# Each family in more than one wording: the code must be found.
FOUND = [
    ("minor_cue", "Roos, bijna achttien, wacht op je in Houten."),
    ("minor_cue", "Nog geen 18 maar wel nieuwsgierig. Houten."),
    ("minor_cue", "Leeftijd: 17+ · Houten"),
    ("minor_cue", "Ze is pas sinds de zomer meerderjarig. Houten."),
    ("minor_cue", "Nog maar net volwassen, lief en verlegen. Houten."),
    ("minor_cue", "Leeftijd: 18 sinds gisteren! Houten."),
    ("minor_cue", "Zit nog op de middelbare, houdt van dansen. Houten."),
    ("minor_cue", "Piepjong en nog helemaal onervaren. Houten."),
    ("minor_cue", "Mijn tienerlijfje wacht op je. Houten."),
    ("minor_cue", "Officieel 18 😉 Houten."),
    ("minor_cue", "Ze wordt in april 18. Houten."),
    # school years and school types, after school, just out of school
    ("minor_cue", "Zit in 4 havo, verveel me na de les. Zeist."),
    ("minor_cue", "Ik doe nog vmbo. Zeist."),
    ("minor_cue", "Ik zit in de derde klas. Zeist."),
    ("minor_cue", "Na schooltijd kan ik langskomen. Zeist."),
    ("minor_cue", "Available after school, Zeist."),
    ("minor_cue", "Fresh out of high school. Zeist."),
    ("minor_cue", "Net uit de schoolbanken. Zeist."),
    # 18 since a moment ago, a recent 18th birthday
    ("minor_cue", "Sinds gisteren 18! Zeist."),
    ("minor_cue", "Achttien en een dag. Zeist."),
    ("minor_cue", "Vorige week mijn 18e verjaardag gevierd. Zeist."),
    ("minor_cue", "Just had my 18th birthday. Zeist."),
    # a child, said outright; not yet allowed what adults may
    ("minor_cue", "Ze is nog maar een kind. Zeist."),
    ("minor_cue", "Still a little girl. Zeist."),
    ("minor_cue", "Ik mag nog niet eens autorijden 😉 Zeist."),
    ("minor_cue", "Ik ben minderjarig, discreet. Zeist."),
    ("minor_cue", "Underage fantasy? Dit is echt. Zeist."),
    ("minor_cue", "Sweet sixteen, Zeist."),
    ("minor_cue", "Lolita-type uit Zeist."),
    # the school calendar, compulsory schooling, a child's bedtime and face; sums and team codes
    ("minor_cue", "Na de proefwerken heeft ze tijd. Zeist."),
    ("minor_cue", "Volgend jaar examenjaar, nu even vrij. Zeist."),
    ("minor_cue", "Ze moet morgen weer naar school. Zeist."),
    ("minor_cue", "Nog leerplichtig, dus alleen 's avonds. Zeist."),
    ("minor_cue", "Ze heeft thuis nog een bedtijd. Zeist."),
    ("minor_cue", "Leeftijd: 16+1 😉 Zeist."),
    ("minor_cue", "Uit onze U17-groep. Zeist."),
    ("minor_cue", "Not even 16 yet. Zeist."),
    ("minor_cue", "Afgelopen maand nog zeventien. Zeist."),
    ("minor_cue", "Ze mag net stemmen. Zeist."),
    ("minor_cue", "18 jaar en drie weken. Zeist."),
    ("minor_cue", "Eigenlijk mag ik het niet zeggen, maar ze is pas zestien. Zeist."),
    ("minor_cue", "🍒 Lotje, zestien, Zeist."),
    ("minor_cue", "Deze week hoeft ze niet naar school. Zeist."),
    ("minor_cue", "Vrijdag mijn 18e verjaardag gevierd! Zeist."),
    ("minor_cue", "Ze is jonger dan je zou denken: de 18 haalt ze volgend jaar. Zeist."),
    ("minor_cue", "Ik begon op de dag dat ik 18 werd. Zeist."),
    ("minor_cue", "'09 baby, Zeist."),
    ("minor_cue", "Kitty is nog maar een kind. Zeist."),
    # the indicator's own imagery stands beside an adult age (role play is still the signal)
    ("minor_cue", "Ik ben 26 en speel graag schoolmeisje. Zeist."),
    ("minor_cue", "Lisa, 23, jong meisje uit Zeist."),
    ("minor_cue", "Als je een jong meisje zoekt, ben je hier goed. Zeist."),
    # the boy's side: a schoolboy, a little boy, puberty, his homework, a curfew, his parents
    ("minor_cue", "Echt nog een jongetje, verlegen. Zeist."),
    ("minor_cue", "Schooljongen-type, slank. Zeist."),
    ("minor_cue", "Still a schoolboy at heart and in years. Zeist."),
    ("minor_cue", "Hij zit midden in de puberteit. Zeist."),
    ("minor_cue", "Na zijn huiswerk heeft hij tijd. Zeist."),
    ("minor_cue", "Hij moet om tien uur thuis zijn. Zeist."),
    ("minor_cue", "Her parents think she is at a friend's. Zeist."),
    # school years without "klas", at a named school; the first-year nickname; exams, licences
    ("minor_cue", "Ze zit nog in de derde, maar is heel wijs. Zeist."),
    ("minor_cue", "Uit het tweede jaar van de middelbare. Zeist."),
    ("minor_cue", "Brugpiepertje zoekt een peetoom. Zeist."),
    ("minor_cue", "Just sat his GCSEs. Zeist."),
    ("minor_cue", "Heeft net zijn scooterrijbewijs. Zeist."),
    # not old enough, years below 18, 18 next season
    ("minor_cue", "Nog niet eens oud genoeg voor een wijntje. Zeist."),
    ("minor_cue", "Not old enough to buy a beer. Zeist."),
    ("minor_cue", "Nog lang geen achttien. Zeist."),
    ("minor_cue", "Nog twee jaar tot haar 18e. Zeist."),
    ("minor_cue", "She's 18 next spring. Zeist."),
    # just adult said freshly, far below 18, candles, braces, still childlike and innocent
    ("minor_cue", "Kersvers meerderjarig en nieuwsgierig. Zeist."),
    ("minor_cue", "Allebei nog ver onder de 18. Zeist."),
    ("minor_cue", "Achttien kaarsjes uitgeblazen! Zeist."),
    ("minor_cue", "Heeft nog haar beugel, zo schattig. Zeist."),
    ("minor_cue", "Still wears braces. Zeist."),
    ("minor_cue", "Nog zo lief en onschuldig. Zeist."),
    ("minor_cue", "Onze kleine meiden wachten. Zeist."),
    ("minor_cue", "Nog groen achter de oren. Zeist."),
    ("minor_cue", "Zit nog niet eens van school af. Zeist."),
    ("minor_cue", "Ze werkt om haar lesrooster heen. Zeist."),
    ("minor_cue", "Met haar klasgenootjes naar de film geweest. Zeist."),
    ("minor_cue", "De examenuitslag komt volgende maand. Zeist."),
    ("always_available", "Geen sluitingstijd hier in Houten."),
    ("always_available", "Er is er altijd wel eentje wakker. Houten."),
    ("always_available", "Ze kan eigenlijk wel altijd. Houten."),
    ("always_available", "Dag of nacht, het maakt niet uit. Houten."),
    ("always_available", "Van vroeg tot laat, ook in het weekend. Houten."),
    # 24 hours in shorthand, all night, no fixed hours, always here
    ("always_available", "Bereikbaar 24u. Zeist."),
    ("always_available", "24h service, Zeist."),
    ("always_available", "Open 24u/7d. Zeist."),
    ("always_available", "24 hours, 7 days. Zeist."),
    ("always_available", "Open all night. Zeist."),
    ("always_available", "De hele nacht bereikbaar. Zeist."),
    ("always_available", "Geen vaste tijden, bel gewoon. Zeist."),
    ("always_available", "No fixed hours. Zeist."),
    ("always_available", "Doorlopend geopend. Zeist."),
    ("always_available", "Ik ben er altijd. Zeist."),
    ("always_available", "Ook op feestdagen en 's nachts. Zeist."),
    ("always_available", "Ready whenever you are. Zeist."),
    ("always_available", "Ieder moment welkom. Zeist."),
    ("always_available", "Gaan nooit dicht, ook niet met Pasen. Zeist."),
    ("always_available", "Het hele etmaal bereikbaar. Zeist."),
    ("always_available", "Bereikbaar: altijd. Zeist."),
    ("always_available", "Open van 00 tot 24u. Zeist."),
    # a denial taken back with a wink; indifference to the hour is no denial
    ("always_available", "Dag en nacht? Haha nee hoor 😉 Zeist."),
    ("always_available", "24/7? Nee joh ;) Zeist."),
    ("always_available", "Dag of nacht, boeit me niet. Zeist."),
    ("always_available", "Day or night, I don't care. Zeist."),
    ("always_available", "Dag of nacht, het kan me niet schelen. Zeist."),
    # whatever the hour, every day of the year, someone always up, hours given as choices
    ("always_available", "Hoe laat het ook is, ik kom. Zeist."),
    ("always_available", "Elke dag van het jaar open. Zeist."),
    ("always_available", "Our line is round-the-clock staffed. Zeist."),
    ("always_available", "Geen uur is te vroeg of te laat. Zeist."),
    ("always_available", "Er is nooit een moment zonder dames. Zeist."),
    ("always_available", "Er is er altijd één wakker. Zeist."),
    ("always_available", "De telefoon wordt altijd opgenomen. Zeist."),
    ("always_available", "Bel om 7 uur 's ochtends of 3 uur 's nachts. Zeist."),
    ("always_available", "Ook om 5 uur 's ochtends neemt er iemand op. Zeist."),
    ("always_available", "Je kunt haar elke dag en elke nacht zien. Zeist."),
    ("always_available", "Mijn telefoon gaat nooit uit. Zeist."),
    ("always_available", "24/7 beschikbaar? Ja hoor, bel maar. Zeist."),
    ("third_party", "Ze is lief en rustig. Afspraken gaan via mij. Houten."),
    ("third_party", "Ze woont bij mij. Ik regel haar afspraken. Houten."),
    ("third_party", "Ik ben haar zwager en ik plan alles. Houten."),
    ("third_party", "Boeken kan via Lotte, 06 1234 0000. Houten."),
    ("third_party", "Contact alleen via vriendin. Houten."),
    ("third_party", "Receptie 06 1234 0000\nHouten"),
    ("third_party", "Wij nemen de telefoon op en zeggen wie er is. Houten."),
    ("third_party", "Sandra, 34, ontvangt in Houten."),
    # hospitality roles with a welcoming or arranging word, through a host
    ("third_party", "Our hostess confirms every booking by text. Zeist."),
    ("third_party", "Reserveren gaat through our host. Zeist."),
    ("third_party", "De gastvrouw ontvangt je met koffie. Zeist."),
    ("third_party", "Het team plant graag je bezoek. Zeist."),
    # one named person is the contact for another; her name presented or booked
    ("third_party", "Call Kevin to book Jessy. Zeist."),
    ("third_party", "Bel Peter voor een avond met Lola. Zeist."),
    ("third_party", "Introducing Lisa, sweet and curious. Zeist."),
    ("third_party", "Maak kennis met Lisa! Zeist."),
    ("third_party", "Plan een afspraak met Lisa. Zeist."),
    # "she's" as one token; the writer as the contact for "her"; a business writing as "us"
    ("third_party", "She's waiting for your call. Zeist."),
    ("third_party", "Text me to book her. Zeist."),
    ("third_party", "Send us a message for the agenda. Zeist."),
    ("third_party", "De dames van Villa Roos verwelkomen je. Zeist."),
    ("third_party", "Wij van Studio Roos bieden discretie. Zeist."),
    ("third_party", "Onze nieuwste, Lisa, is er vanaf maandag. Zeist."),
    ("third_party", "Her photos are real, promised. Zeist."),
    ("third_party", "Ring the bell, our host lets you in. Zeist."),
    ("third_party", "Driver available for outcall. Zeist."),
    ("third_party", "Massages door onze masseuses. Zeist."),
    ("third_party", "Entree €25, drankje inbegrepen. Zeist."),
    # more than a pair of workers offered where nobody says "ik" or "wij": a house runs the ad
    ("third_party", "Studio Zeist. Dagelijks 5-7 dames aanwezig."),
    ("third_party", "Vandaag: Lotte, Sanne en Noor. Zeist, 06 1234 0000"),
    # an owner, a trainer, a stepfather or "meneer" as go-between; scare quotes around a role
    ("third_party", "Afspraak via de eigenaar: 06 1234 0000. Zeist."),
    ("third_party", "Aanmelden bij de trainer. Zeist."),
    ("third_party", "Contact via meneer P. Zeist."),
    ("third_party", "Haar 'manager' belt je terug. Zeist."),
    # the writers take the contact
    ("third_party", "Alleen via ons: 06 1234 0000. Zeist."),
    ("third_party", "Bel, wij sturen iemand. Zeist."),
    ("third_party", "Laat je nummer achter, wij bellen terug. Zeist."),
    ("third_party", "Namens Roos: ze is er tot vrijdag. Zeist."),
    ("third_party", "Afspraken regel ik, ze leest zelf niets. Zeist."),
    ("third_party", "Afspr. via mij (Ronnie). Zeist."),
    ("third_party", "Ik beantwoord haar mail. Zeist."),
    ("new_arrival", "Ze is gisteren met de trein aangekomen. Houten."),
    ("new_arrival", "Sinds dinsdag in Nederland. Houten."),
    ("new_arrival", "Ze is hier tijdelijk, daarna weer weg. Houten."),
    ("new_arrival", "Ze is deze maand in Houten."),
    ("new_arrival", "Woont sinds kort bij ons in Houten."),
    # a new face, just in town, a short stay running out, leaving soon
    ("new_arrival", "🆕 Roos, Zeist"),
    ("new_arrival", "Pas in de stad en nieuwsgierig. Zeist."),
    ("new_arrival", "Here for a few nights only. Zeist."),
    ("new_arrival", "Beperkte tijd in Zeist, boek snel."),
    ("new_arrival", "Zondag vertrek ik alweer. Zeist."),
    ("new_arrival", "Leaving tomorrow, last chance. Zeist."),
    ("new_arrival", "Landed this morning. Zeist."),
    ("new_arrival", "Terug in Zeist voor twee weken."),
    ("new_arrival", "zeist 2 meisjes nieuw bel me"),
    ("new_arrival", "Pas vier dagjes in het land. Zeist."),
    ("new_arrival", "Sinds 2 weken hier. Zeist."),
    ("new_arrival", "1e week hier! Zeist."),
    ("new_arrival", "Twee nachtjes in Zeist."),
    ("new_arrival", "Doorreizend, vandaag Zeist."),
    # chat shorthand "nw" is read as "nieuw" by every phrase, not only by patterns naming it
    ("new_arrival", "Nw hier, Zeist."),
    ("new_arrival", "Lotte is nw in de stad. Zeist."),
    ("new_arrival", "Nieuw in Zeist? Ja hoor 😉"),
    # a new face, the newest addition, a first shift, a journey just made
    ("new_arrival", "Onze nieuwste aanwinst, Zeist."),
    ("new_arrival", "Vanavond haar allereerste avond bij ons. Zeist."),
    ("new_arrival", "Lotte, die dinsdag is begonnen. Zeist."),
    ("new_arrival", "Zaterdag met de bus aangekomen. Zeist."),
    ("new_arrival", "Net uit het zuiden gekomen. Zeist."),
    ("new_arrival", "Komt pas uit een klein dorp. Zeist."),
    ("new_arrival", "Our boys just flew in. Zeist."),
    # a stay with its length or its next stop
    ("new_arrival", "Came over for three weeks only. Zeist."),
    ("new_arrival", "3 wk Zeist, dan verder."),
    ("new_arrival", "Ik ben in Zeist tot en met vrijdag."),
    ("new_arrival", "Daarna trek ik door naar het noorden. Zeist."),
    ("new_arrival", "Two nights in Zeist, after that I fly back home."),
    ("new_arrival", "Twee nichtjes logeren deze week bij mij. Zeist."),
    # the women change every week: each change brings new arrivals
    ("new_arrival", "Elke week andere meiden. Zeist."),
    ("new_arrival", "Pas sinds kort in Nederland, 19 jaar. Zeist."),
    ("new_arrival", "Zeist. Nw. 19. Bel."),
    ("new_arrival", "Onze bezetting wisselt iedere maandag. Zeist."),
    ("new_arrival", "Om de 2 weken wisselt de groep. Zeist."),
    ("multiple_workers", "Drie collega's, één nummer. Houten."),
    ("multiple_workers", "Je kiest bij binnenkomst. Houten."),
    ("multiple_workers", "Bel en vraag wie er vandaag is. Houten."),
    ("multiple_workers", "De groep wisselt elke week. Houten."),
    ("multiple_workers", "Andere dames ook aanwezig. Houten."),
    ("multiple_workers", "Vandaag aanwezig: Sanne, Eva & Noor. Houten."),
    ("multiple_workers", "Ik plan de week voor Demi en Joyce. Houten."),
    ("multiple_workers", "Wo: Iris + Femke\nHouten"),
    # a rota of names per weekday, a line-up, shifts, taking turns
    ("multiple_workers", "Deze week: ma Lotte, di Sanne. Zeist."),
    ("multiple_workers", "Ma: Lotte\nDi: Sanne\nZeist"),
    ("multiple_workers", "Tonight's line-up is on the site. Zeist."),
    ("multiple_workers", "De meiden lossen elkaar af. Zeist."),
    ("multiple_workers", "Ladies work in shifts. Zeist."),
    # a selection, several, all of them; another one each week; choosing her
    ("multiple_workers", "Ruime keuze aan leuke dames. Zeist."),
    ("multiple_workers", "Browse our gallery of models. Zeist."),
    ("multiple_workers", "Verschillende jonge vrouwen werken hier. Zeist."),
    ("multiple_workers", "Iedere week een nieuwe meid. Zeist."),
    ("multiple_workers", "A different girl every weekend. Zeist."),
    ("multiple_workers", "Pick your lady at the door. Zeist."),
    ("multiple_workers", "Mia en haar collega ontvangen samen. Zeist."),
    ("multiple_workers", "This week Nikki (20), Sandy (24). Zeist."),
    ("multiple_workers", "Nikki 20 & Sandy 24, Zeist"),
    # workers in the plural doing the work; new ones in chat shorthand
    ("multiple_workers", "Ontspanning door ervaren masseuses. Zeist."),
    ("multiple_workers", "Girls waiting for you in Zeist."),
    ("multiple_workers", "Dagelijks 4-6 leuke dames. Zeist."),
    ("multiple_workers", "nw mdn vndg zeist"),
    ("multiple_workers", "Een van onze 3 dames staat voor je klaar. Zeist."),
    # men and relatives counted, the house's men, one of the boys, a different one, a dispatcher
    ("multiple_workers", "Deze week vijf verzorgde heren op ons rooster. Zeist."),
    ("multiple_workers", "Twee neefjes, samen of los te boeken. Zeist."),
    ("multiple_workers", "Onze jongens komen naar je toe. Zeist."),
    ("multiple_workers", "Er is altijd wel één van de jongens wakker. Zeist."),
    ("multiple_workers", "Er is altijd wel een dame die je ontvangt. Zeist."),
    ("multiple_workers", "Elk uur een ander meisje. Zeist."),
    ("multiple_workers", "Je belt, wij sturen wie er vrij is. Zeist."),
    ("multiple_workers", "Booked already? I'll send my mate instead. Zeist."),
    ("multiple_workers", "De dame van uw keuze komt naar u toe. Zeist."),
    ("multiple_workers", "Kies zelf je heer op de site. Zeist."),
    ("multiple_workers", "Keuze uit vier, bel de balie. Zeist."),
    # a couple who both work, booked together, twins, workers on duty
    ("multiple_workers", "Wij: zij 31, hij 35, een echt stel. Zeist."),
    ("multiple_workers", "Samen te boeken in Zeist."),
    ("multiple_workers", "Twin brothers, both curious. Zeist."),
    ("multiple_workers", "Mijn vriendin doet het ook, we kunnen samen komen. Zeist."),
    ("multiple_workers", "Meiden via Jeroen, Zeist."),
    ("multiple_workers", "Vraag naar Dolly of haar collega. Zeist."),
    ("third_party", "Mijn vriendin regelt mijn afspraken. Zeist."),
    # a house speaking as "wij"/"ons" about the several workers it offers
    ("third_party", "Vandaag bij ons aanwezig: Saar, Dana en Jill. Zeist."),
    ("third_party", "In ons huis werken drie jongens: Joep, Amir en Lars. Zeist."),
    ("third_party", "Wij regelen het: kies uit twee meiden. Zeist."),
    ("unsafe_services", "Alles kan, ook zonder. Houten."),
    ("unsafe_services", "Bij mij mag alles. Houten."),
    # the condom made optional or named in slang, an extra price for without
    ("unsafe_services", "Condoom is optioneel. Zeist."),
    ("unsafe_services", "Kan ook zonder kapje. Zeist."),
    ("unsafe_services", "Alles zonder tegen meerprijs. Zeist."),
    ("unsafe_services", "Natural service on request. Zeist."),
    ("unsafe_services", "Nergens grenzen. Zeist."),
    # protection not needed, a choice with or without, "without" for a surcharge, doing all asked
    ("unsafe_services", "Rubber? Hoeft voor mij niet. Zeist."),
    ("unsafe_services", "Bescherming vinden we allebei overbodig. Zeist."),
    ("unsafe_services", "Geen condoom nodig als je gezond bent. Zeist."),
    ("unsafe_services", "Met of zonder, jij kiest. Zeist."),
    ("unsafe_services", "Ook 'zonder' mogelijk. Zeist."),
    ("unsafe_services", "Zonder is tegen een kleine toeslag. Zeist."),
    ("unsafe_services", "Ze doet alles wat je zegt. Zeist."),
    ("unsafe_services", "Ze zegt nergens nee tegen. Zeist."),
    ("multi_city", "Boekingen via ons kantoor, Houten + Nieuwegein."),
    ("multi_city", "Ik ontvang in Houten en in Utrecht, bel gerust."),
    ("hotel_location", "Locatie: hotel, kamer 4. Houten."),
    ("hotel_location", "Ze ontvangt in een hotelletje bij Houten."),
    ("hotel_location", "Incall in een Airbnb, Zeist."),
    ("hotel_location", "Aparthotel in Zeist, kamer na boeking."),
]

# Near misses of the same families: the code must stay quiet.
QUIET = [
    ("minor_cue", "Mijn tienerjaren liggen ver achter me, ik ben 45. Houten."),
    (
        "minor_cue",
        "Overdag ben ik docent op een middelbare school, 's avonds masseuse. Ik ben 39. Houten.",
    ),
    ("minor_cue", "Net als elke volwassen vrouw weet ik wat ik wil. Ik ben 41. Houten."),
    ("minor_cue", "Ik ben 33 en word in mei 34. Houten."),
    ("minor_cue", "Ik heb vroeger havo gedaan en ben nu 36. Zeist."),
    ("minor_cue", "Mijn zoon zit in 4 havo, dus overdag vrij. Ik ben 44. Zeist."),
    ("minor_cue", "Na schooltijd van de kinderen ben ik vrij. 38 jaar. Zeist."),
    ("minor_cue", "Eerste klas service, ik ben 31. Zeist."),
    ("minor_cue", "Net als op school: ik let goed op. 35 jaar. Zeist."),
    ("minor_cue", "Geen minderjarigen! Ik ben 30. Zeist."),
    ("minor_cue", "Minderjarigen worden geweigerd. Ik ben 29. Zeist."),
    ("minor_cue", "Sinds gisteren 3 nieuwe outfits. Ik ben 30. Zeist."),
    ("minor_cue", "Vorige week mijn 40e verjaardag gevierd. Zeist."),
    ("minor_cue", "Ik mag nog niet zeggen waar ik woon. 33 jaar. Zeist."),
    ("minor_cue", "Mijn bedtijd is 22u, ik ben 50. Zeist."),
    ("minor_cue", "De tienerkamer van mijn zoon is nu mijn studio. 49 jaar. Zeist."),
    ("minor_cue", "Tieners of schoolmeisjes? Niet hier. Ik ben 41. Zeist."),
    ("minor_cue", "De kersen 🍒 zijn op, de zomer voorbij. 45 jaar. Zeist."),
    ("minor_cue", "Mijn autootje, ze is 16 jaar oud. Ik ben 39. Zeist."),
    ("minor_cue", "Examenjaar? Lang geleden. Ik ben 37. Zeist."),
    # a youthful word beside the ad's own adult ages is about looks, a course or other ads
    ("minor_cue", "Ik heb een babyface, zeggen ze. Maar ik ben 33. Zeist."),
    ("minor_cue", "Al die 'teen' profielen hier, bah. Ik ben Mara, 26. Zeist."),
    ("minor_cue", "Huiswerk voor mijn cursus doe ik 's avonds. Zeist."),
    ("minor_cue", "Vriendinnen sinds de brugklas, allebei 23. Zeist."),
    ("minor_cue", "Ik ben 45, nog niet oud genoeg voor mijn pensioen. Zeist."),
    ("minor_cue", "Mijn zoon is in de puberteit. Ik ben 44. Zeist."),
    # the client's wish in an if-clause, refused in the clause after it
    ("minor_cue", "Als je een jong meisje zoekt, ben je bij mij aan het verkeerde adres. Zeist."),
    ("unsafe_services", "If you want bareback, look elsewhere. Zeist."),
    ("minor_cue", "Zoek je een tiener, dan ben je hier niet goed. Zeist."),
    ("minor_cue", "Geen klanten onder de 18. Ik ben 30. Zeist."),
    ("minor_cue", "Mijn beugel is er al twintig jaar uit. Ik ben 35. Zeist."),
    ("minor_cue", "Ik heb nog geen rijbewijs, dus kom jij maar. Ik ben 27. Zeist."),
    ("minor_cue", "Mijn dochter heeft nog een beugel. Ik ben 42. Zeist."),
    ("always_available", "Open tot 1 uur 's nachts. Houten."),
    # a closing time alone, however late, is not round the clock
    ("always_available", "Open tot 3 uur 's nachts in het weekend. Zeist."),
    ("always_available", "We nemen op tot laat in de nacht. Zeist."),
    ("always_available", "Ma-vr 10-22u. Zeist."),
    ("always_available", "Parkeren 24 uur gratis. Zeist."),
    ("always_available", "Ik ben er altijd voor mijn kinderen, dus alleen overdag. Zeist."),
    ("always_available", "Een hele nacht: 600. Zeist."),
    ("always_available", "Open van 10 tot 22u, zondag dicht. Zeist."),
    ("always_available", "Condoom is altijd verplicht. Houten."),
    ("always_available", "Niet 's nachts, alleen overdag. Houten."),
    # a closing time, however late and whenever the opening, is not round the clock
    ("always_available", "Open van 12 tot 4 uur 's nachts, ook zondag. Houten."),
    ("always_available", "Bellen kan van 's middags tot 's ochtends. Houten."),
    ("always_available", "Geopend van 11 tot 05u. Houten."),
    ("always_available", "Open till 3am on Fridays. Zeist."),
    ("always_available", "Dagelijks 10 tot 04u. Zeist."),
    ("always_available", "Tot diep in de nacht bereikbaar. Zeist."),
    # a real denial, with a laugh or a wink in another clause; a question about the difference
    ("always_available", "24/7? Haha no darling, I have a life 😂 Zeist."),
    ("always_available", "Dag en nacht? Nee, alleen op afspraak 😉 Zeist."),
    ("always_available", "Het verschil met een app-date? Dag en nacht. Ik ben Eva, Zeist."),
    ("always_available", "Ik krijg vaak de vraag of ik 24/7 werk. Ma-vr 12-20u. Zeist."),
    # one night-time moment, a denied question that opens the sentence, other people's ads
    ("always_available", "Ik krijg berichten om 3 uur 's nachts. Ik werk 12-20u. Zeist."),
    ("always_available", "24/7 beschikbaar? Lieverd, ik ben geen automaat. Zeist."),
    ("always_available", "Ik lees vaak advertenties met '24u service', ik werk 12-20u. Zeist."),
    ("always_available", "Sommige sites zeggen dat wij 24/7 open zijn. Wij: ma-za 11-23u. Zeist."),
    ("third_party", "Ik ben Sandra, 34, trans vrouw uit Houten. Bel mij."),
    ("third_party", "Mijn oude Volvo, ze staat in de garage. Ik ben Mia, 40, Houten. Bel mij."),
    ("third_party", "Ik ben nog steeds Ellen, 45, Houten."),
    ("third_party", "Ik regel alles zelf, geen tussenpersoon. Houten."),
    ("third_party", "I am Lisa, I book myself, no agency, no host. Zeist."),
    ("third_party", "Ik ben Mia. Plan een afspraak met mij. Zeist."),
    ("third_party", "Ik ben Eva, geen gastvrouw, geen team: alleen ik. Zeist."),
    ("third_party", "Ik ben Noor en ik werk in een team van verpleegkundigen overdag. Zeist."),
    ("third_party", "2 meiden, samen of apart. Zeist, 06 1234 0000"),
    ("third_party", "Drie vriendinnen, wij ontvangen samen in Zeist."),
    ("third_party", "I'm Noa, write me on Telegram. Zeist."),
    ("third_party", "Twee meiden, bij ons in Zeist. Ik ben Eva."),
    ("third_party", "Mijn poes Mimi slaapt op de bank. Ik ben Eva, Zeist."),
    ("third_party", "Afspraken regel ik zelf. Ik ben Eva, Zeist."),
    # the workers themselves as "wij", or at home together
    ("third_party", "Wij zijn Lieke, Mo en Jess, drie vriendinnen met een huis. Zeist."),
    ("third_party", "Twee besties, samen of solo, bij ons thuis in Zeist."),
    # a friend or relative who is quoted speaks, she takes no calls
    ("third_party", "Mijn vriendin zei: 'zij is de beste'. Ik ben Eva, Zeist."),
    ("third_party", "Mijn zus zegt altijd dat ik te lief ben. Ik ben Eva, Zeist."),
    ("third_party", "My girlfriend said: you are the one. I am Eva, Zeist."),
    (
        "new_arrival",
        "Mannen denken soms dat ik net ben aangekomen, maar ik woon hier al 20 jaar. Houten.",
    ),
    ("new_arrival", "Leeftijd: 18 sinds maandag. Houten."),
    ("new_arrival", "Sinds vorige week 18, Zeist."),
    ("new_arrival", "Deze maand toert ze langs verschillende steden. Houten."),
    ("new_arrival", "Nieuwe advertentie, zelfde Mia. Houten."),
    ("new_arrival", "First time clients welcome. Zeist."),
    ("new_arrival", "Laatste kans op korting deze maand. Zeist."),
    ("new_arrival", "Ik woon al 3 jaar hier in Zeist."),
    (
        "multiple_workers",
        "Ik huur een kamer in een pand waar ook andere dames werken, maar ik werk zelfstandig.",
    ),
    ("multiple_workers", "Ook stellen welkom, of twee vriendinnen samen. Ik werk alleen. Houten."),
    ("multi_city", "Born in 2001 and proud. Houten. Bel 06 1234 0000"),
    ("multi_city", "Vroeger werkte ik in Utrecht, nu alleen in Houten."),
    ("multi_city", "Houten, vlak bij de grens Nieuwegein."),
    # where she studies, has a day job, was born, where her child lives; what others ask
    ("multi_city", "Ik studeer in Utrecht maar ontvang in Houten."),
    ("multi_city", "Overdag werk ik in het ziekenhuis in Nieuwegein, ontvangen doe ik in Houten."),
    ("multi_city", "Geboren en getogen in Arnhem, nu al jaren in Houten."),
    ("multi_city", "Mijn dochter woont in Groningen. Ik ontvang in Houten."),
    ("multi_city", "Ik krijg vragen of ik naar Utrecht kom: nee, alleen Houten."),
    ("multi_city", "Houten, 10 min v. Nieuwegein."),
    ("multiple_workers", "Ik ben Sanne uit Houten. Groetjes, Sanne"),
    ("multiple_workers", "Keuze uit massage of ontspanning. Ik ben Eva, Zeist."),
    ("multiple_workers", "Ma: Lotte\nDi: Lotte\nZeist"),
    ("multiple_workers", "Mijn rooster: ma-vr 10-18. Ik ben Eva. Zeist."),
    ("multiple_workers", "Ik werk alleen, geen andere dames. Zeist."),
    # one of a family or group is described, not several offered
    ("multiple_workers", "Ik ben 1 van de 3 zussen, de rest werkt niet. Zeist."),
    ("multiple_workers", "I'm the youngest of four sisters. Zeist."),
    ("multiple_workers", "Stuur een berichtje, ik antwoord zelf. Ik ben Eva, Zeist."),
    ("multiple_workers", "Een compliment voor ons allebei, zei hij. Ik ben Eva, Zeist."),
    ("multiple_workers", "Ik word vaak geboekt door heren uit de buurt. Ik ben Eva, Zeist."),
    ("multiple_workers", "Kies je tijd, ik ben er. Ik ben Eva, Zeist."),
    # others named, then set apart from her work; new times, not new workers
    ("multiple_workers", "Mijn zus en ik werken in hetzelfde huis, maar los van elkaar. Zeist."),
    ("multiple_workers", "Ik deel een pand met twee collega's; zij doen niet mee. Zeist."),
    ("multiple_workers", "Ik ben Eva. Elke week nieuwe tijden, kijk op mijn status. Zeist."),
    ("multiple_workers", "Ik ben de oudste van mijn drie zussen. Zeist."),
    ("multiple_workers", "In ons pand werken ook andere dames, ik werk zelfstandig. Zeist."),
    ("multiple_workers", '"Eva en Noor raadden je aan," schreef een klant. Ik ben Lotte, Houten.'),
    ("unsafe_services", "Ook zonder afspraak welkom. Houten."),
    ("hotel_location", "We ontmoeten elkaar in de lobby van hotel Houten voor een drankje."),
    ("hotel_location", "Overdag werk ik als receptioniste in een hotel. Ik ben Eva, Zeist."),
    ("unsafe_services", "Alles zonder? Nee. Altijd met condoom. Houten."),
    ("unsafe_services", "Zonder bescherming doe ik niks. Houten."),
    ("unsafe_services", "Raw food liefhebber. Zeist."),
    ("unsafe_services", "Extreme sports fan, altijd met condoom. Zeist."),
    ("unsafe_services", "Ik doe alles om je te verwennen, altijd met condoom. Zeist."),
    # a wink after "niet"/"nooit" does not take a denial back; only a bare reply ("nee 😉")
    ("unsafe_services", "Bareback doe ik niet 😉 Zeist."),
    # a service word quoted and refused, allowed by age now, coffee, no surcharge
    ("unsafe_services", "Men vraagt om 'no limits'. Sorry, ik heb grenzen. Zeist."),
    ("unsafe_services", "Sites zeggen dat bij ons 'alles kan'. Dat klopt niet. Zeist."),
    ("unsafe_services", "Sinds gisteren 18, nu mag alles. Zeist."),
    ("unsafe_services", "Koffie met of zonder suiker. Zeist."),
    ("unsafe_services", "Outcall tot 10 km zonder toeslag. Zeist."),
    ("unsafe_services", "Condoom is niet onderhandelbaar. Zeist."),
    ("new_arrival", "Mijn oude profiel is weg, dus hier een nieuwe. Houten."),
    ("new_arrival", "Ik ben een paar dagen weg op familiebezoek. Houten."),
    # experience, a daily shift change, a monthly intake, a move within town are no arrivals
    ("new_arrival", "Nog helemaal nieuw in het vak, 30 jaar. Zeist."),
    ("new_arrival", "Net begonnen, nog wat verlegen. Zeist."),
    ("new_arrival", "De dames wisselen per dag, bel en vraag. Zeist."),
    ("new_arrival", "Elke maand nieuwe dames in ons team. Zeist."),
    ("new_arrival", "Net verhuisd binnen Zeist, zelfde dame. Ik ben 38."),
    ("new_arrival", "Ik ben weer open vanaf vandaag. Zeist."),
    ("new_arrival", "Ik werk al 12 jaar in Zeist, ma tot en met vrijdag."),
    # a time word that dates a birthday or the past, clients passing through
    ("new_arrival", "Pas sinds kort meerderjarig. Zeist."),
    ("new_arrival", "Hij is deze maand net 18 geworden. Zeist."),
    ("new_arrival", "Leeftijd: 18, sinds afgelopen dinsdag. Zeist."),
    ("new_arrival", "Mijn verjaardag was maar een paar dagen geleden. Ik ben 30. Zeist."),
    ("new_arrival", "Handig voor heren op doorreis. Ik woon al jaren in Zeist."),
]


@pytest.mark.parametrize(("code", "text"), FOUND)
def test_each_family_is_found(scorer, code: str, text: str) -> None:
    assert code in _codes(scorer, text)


@pytest.mark.parametrize(("code", "text"), QUIET)
def test_its_near_misses_stay_quiet(scorer, code: str, text: str) -> None:
    assert code not in _codes(scorer, text)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Ze wordt in maart 18.", 17),
        ("I'm turning 18 next week.", 17),
        ("Twee zussen, allebei 20.", 20),
        ("De oudste is 27, de jongste 19.", 19),
        ("Een meisje van negentien uit de buurt.", 19),
        ("Mijn vriendin is 20 maar lijkt jonger.", 20),
        # number words without "tien" or a tens word, split or misspelt teens, glued "-jarig"
        ("Ik ben Fenna, twaalf jaar.", 12),
        ("Zeven tien jaar en nieuwsgierig.", 17),
        ("Achtien lentes.", 18),
        ("Zestin jaar en nieuw hier.", 16),
        ("Ik ben negentin jaar.", 19),
        ("Een zestienjarige uit de buurt.", 16),
        ("Een 17-jarige in Zeist.", 17),
        # fields written with a dash, "nog maar", "freshly"
        ("Age – 17 | Zeist", 17),
        ("Ze is nog maar 16 en al zo brutaal.", 16),
        ("Freshly 19 and curious.", 19),
        # a place after the age is where she is; only with a year unit is it time spent there
        ("Lieve meid van 16 in Zeist.", 16),
        # one-liners: a first name and a bare age; a name some words after a thing is a person
        ("Mia 19 zeist incall", 19),
        ("Nikki 20 & Sandy 24 in Zeist", 20),
        ("Private house Zeist: this week Nikki (20).", 20),
        # just below a number, a sum, a field or a bullet, a number word opening a line
        ("Ze is bijna twintig.", 19),
        ("Leeftijd: nog net geen 20", 19),
        ("Nog 1 jaartje tot de 21!", 20),
        ("Ik ben 11+8, reken maar.", 19),
        ("Age: XX", 20),
        ("Sara • 20 • Zeist", 20),
        ("Leeftijden: 20 t/m 25", 20),
        ("Twintig, vrolijk en spontaan.", 20),
        ("Hier is Daan: ik ben je gastheer.\nNegentien. Zeist.", 19),
        # lookalike zeros in a year, a birth year with a season or month, classified shorthand
        ("Bouwjaar 2oo6.", 20),
        ("Geboren: najaar 2006.", 20),
        ("Juni '06, Zeist.", 20),
        ("bwjr '06, Zeist", 20),
        ("Vorige week jarig (3-12-2006).", 20),
    ],
)
def test_ages_of_the_coming_birthday_and_of_others(text: str, age: int) -> None:
    assert age in {a.age for a in stated_ages(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Morgen wordt het 19 graden.",
        "Dames van 30 tot 45 jaar.",
        "Ik woon al 17 jaar in Zeist.",
        "Woon 15 jaar in Zeist, nu Houten.",
        "Nog maar 17 minuten met de trein.",
        "Kamer 16 in Zeist, Dorpsstraat 17.",
        "Mijn hond Max (14) blijft in de tuin.",
        "Bijna 20 jaar ervaring in Zeist.",
        "Actie: 1+1 gratis, 15+5 minuten.",
        "Sinds juni '19 in Zeist.",
    ],
)
def test_degrees_and_ranges_are_no_age(text: str) -> None:
    assert not [a for a in stated_ages(text) if a.age < 21]


def test_a_denial_in_the_next_clause_is_not_about_the_match(scorer) -> None:
    text = "Ze kan eigenlijk wel altijd, ze doet niks. Houten."
    assert "always_available" in _codes(scorer, text)


def test_an_age_word_opening_a_line_is_marked_without_the_line_break() -> None:
    (mention,) = stated_ages("Hoi!\nNegentien, spontaan.")
    assert (mention.age, mention.text, mention.start) == (19, "Negentien", 5)


def test_an_abbreviation_a_rule_names_is_still_expanded() -> None:
    normaliser = Normaliser(["nw", "nieuw", "hier"], {"nw": "nieuw"})
    assert (normaliser.norm("nw"), normaliser.norm("hier")) == ("nieuw", "hier")
