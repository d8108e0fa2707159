// Anonymized, German-looking people and places for the seed. Everything is fictional except
// the postal code / city pairs, which are real so addresses look plausible in a UI.

export const FIRST_NAMES = [
  'Anna', 'Lukas', 'Sophie', 'Jonas', 'Marie', 'Leon', 'Emilia', 'Felix', 'Hannah', 'Paul',
  'Lea', 'Maximilian', 'Lena', 'Tim', 'Laura', 'Finn', 'Julia', 'Jan', 'Sarah', 'Niklas',
  'Katharina', 'Moritz', 'Johanna', 'Tobias', 'Clara', 'Sebastian', 'Charlotte', 'David',
  'Mia', 'Florian', 'Ida', 'Stefan', 'Greta', 'Matthias', 'Luisa', 'Andreas', 'Frieda', 'Jörg',
] as const;

export const LAST_NAMES = [
  'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz',
  'Hoffmann', 'Schäfer', 'Koch', 'Bauer', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann',
  'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hofmann', 'Hartmann', 'Lange', 'Schmitt',
  'Werner', 'Schmitz', 'Krause', 'Meier', 'Lehmann', 'Schmid', 'Schulze', 'Maier', 'Köhler',
  'Herrmann', 'König', 'Walter', 'Mayer', 'Huber',
] as const;

export const STREETS = [
  'Musterstr.', 'Beispielweg', 'Hauptstr.', 'Bahnhofstr.', 'Gartenweg', 'Lindenallee',
  'Schulstr.', 'Am Markt', 'Kirchgasse', 'Birkenweg', 'Rosenstr.', 'Waldweg', 'Mühlenweg',
  'Goethestr.', 'Schillerplatz',
] as const;

export interface City {
  city: string;
  postalCode: string;
}

export const CITIES: readonly City[] = [
  { city: 'Berlin', postalCode: '10115' },
  { city: 'Berlin', postalCode: '10437' },
  { city: 'Berlin', postalCode: '12043' },
  { city: 'Hamburg', postalCode: '20095' },
  { city: 'Hamburg', postalCode: '22765' },
  { city: 'München', postalCode: '80331' },
  { city: 'München', postalCode: '81667' },
  { city: 'Köln', postalCode: '50667' },
  { city: 'Frankfurt am Main', postalCode: '60311' },
  { city: 'Stuttgart', postalCode: '70173' },
  { city: 'Düsseldorf', postalCode: '40213' },
  { city: 'Leipzig', postalCode: '04109' },
  { city: 'Dresden', postalCode: '01067' },
  { city: 'Hannover', postalCode: '30159' },
  { city: 'Nürnberg', postalCode: '90402' },
  { city: 'Bremen', postalCode: '28195' },
  { city: 'Potsdam', postalCode: '14467' },
  { city: 'Freiburg im Breisgau', postalCode: '79098' },
];

export const DOCTORS = [
  'Dr. med. Anna Schneider', 'Dr. med. Thomas Berger', 'Dr. med. Claudia Vogel',
  'Dr. med. Michael Brandt', 'Dr. med. Sabine Keller', 'Dr. med. Jens Hartwig',
  'Dr. med. Petra Lorenz', 'Dr. med. Ralf Engel', 'Dr. med. Ulrike Sommer',
  'Dr. med. Martin Kühn', 'Dr. med. Birgit Franke', 'Dr. med. Oliver Seidel',
] as const;

export const DOSAGES = [
  '0,1 g bis zu 3x täglich inhalieren',
  '0,25 g abends verdampfen',
  '0,5 g täglich, verteilt auf 2 Gaben',
  '1-0-1',
  '0-0-1',
  '5 Tropfen 2x täglich',
  'bei Bedarf, max. 1 g täglich',
  '2 Sprühstöße morgens und abends',
] as const;

/** Transliterates umlauts for e-mail local parts (Jörg Müller → joerg.mueller). */
export function emailLocalPart(firstName: string, lastName: string): string {
  return `${firstName}.${lastName}`
    .toLowerCase()
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .replaceAll('ß', 'ss');
}
