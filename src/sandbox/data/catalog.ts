// The master product list shops draw their catalogs from. A p1_id names the same product in
// every shop; each shop sells a subset at its own price (see seed-catalog.ts).

export interface CatalogEntry {
  p1Id: string;
  name: string;
  category: string;
  unit: 'g' | 'ml' | 'pack' | 'piece';
  basePriceCents: number;
}

type Row = [name: string, unit: CatalogEntry['unit'], basePriceCents: number];

const SECTIONS: Record<string, Row[]> = {
  'Cannabis flos': [
    ['Cannabis flos 27/1', 'g', 510],
    ['Cannabis flos 22/1 Pink Kush', 'g', 890],
    ['Cannabis flos 18/1 Lemon Haze', 'g', 820],
    ['Cannabis flos 25/1 Gorilla Glue', 'g', 960],
    ['Cannabis flos 20/1 Amnesia Haze', 'g', 850],
    ['Cannabis flos 14/1 Bedrocan', 'g', 1150],
    ['Cannabis flos 1/9 CBD Remedy', 'g', 790],
    ['Cannabis flos 29/1 Ghost Train Haze', 'g', 1090],
    ['Cannabis flos 24/1 Wedding Cake', 'g', 990],
    ['Cannabis flos 16/1 Northern Lights', 'g', 760],
    ['Cannabis flos 19/1 Master Kush', 'g', 830],
    ['Cannabis flos 26/1 Gelato', 'g', 1040],
    ['Cannabis flos 8/8 Penelope', 'g', 940],
    ['Cannabis flos 21/1 Sour Diesel', 'g', 875],
    ['Cannabis flos 23/1 Blueberry', 'g', 910],
    ['Cannabis flos 30/1 Kosher Kush', 'g', 1290],
  ],
  'Cannabis extracts': [
    ['Dronabinol Tropfen 25 mg/ml 10 ml', 'pack', 8990],
    ['Dronabinol Kapseln 2,5 mg 56 St.', 'pack', 11250],
    ['Cannabisextrakt THC 25 mg/ml 30 ml', 'pack', 14900],
    ['Cannabisextrakt CBD 50 mg/ml 10 ml', 'pack', 6950],
    ['Cannabis Vollspektrumextrakt 10/10 30 ml', 'pack', 12900],
    ['Sativex Spray 3x10 ml', 'pack', 32095],
    ['CBD Öl 10% 10 ml', 'pack', 3990],
  ],
  Analgesics: [
    ['Ibuprofen 400mg 20 St.', 'pack', 675],
    ['Ibuprofen 600mg 50 St.', 'pack', 1545],
    ['Ibuprofen 800mg 50 St.', 'pack', 1790],
    ['Paracetamol 500mg 20 St.', 'pack', 345],
    ['Paracetamol 1000mg 10 St.', 'pack', 495],
    ['Aspirin 500mg 20 St.', 'pack', 695],
    ['Diclofenac Gel 1% 100 g', 'pack', 1199],
    ['Novaminsulfon 500mg 20 St.', 'pack', 585],
    ['Naproxen 250mg 20 St.', 'pack', 749],
  ],
  'Cold & flu': [
    ['Nasenspray 0,1% 10 ml', 'pack', 399],
    ['Meerwasser Nasenspray 20 ml', 'pack', 549],
    ['Hustensaft Efeu 100 ml', 'pack', 899],
    ['ACC akut 600mg 10 St.', 'pack', 799],
    ['Halstabletten Salbei 24 St.', 'pack', 649],
    ['Erkältungsbalsam 50 g', 'pack', 799],
    ['Emser Pastillen 30 St.', 'pack', 595],
  ],
  'Vitamins & supplements': [
    ['Vitamin D3 1000 I.E. 100 St.', 'pack', 995],
    ['Vitamin C 500mg 60 St.', 'pack', 795],
    ['Magnesium 400mg 50 St.', 'pack', 899],
    ['Zink 25mg 100 St.', 'pack', 1095],
    ['Eisen + Vitamin C 30 St.', 'pack', 1249],
    ['Omega-3 1000mg 60 St.', 'pack', 1690],
    ['Folsäure 400µg 90 St.', 'pack', 749],
    ['Vitamin B12 1000µg 60 St.', 'pack', 1390],
  ],
  Digestion: [
    ['Kräutertropfen Magen 50 ml', 'pack', 1495],
    ['Loperamid 2mg 10 St.', 'pack', 449],
    ['Omeprazol 20mg 14 St.', 'pack', 699],
    ['Pantoprazol 20mg 14 St.', 'pack', 749],
    ['Simeticon 85mg 50 St.', 'pack', 895],
    ['Macrogol Pulver 30 Btl.', 'pack', 1595],
  ],
  Allergy: [
    ['Cetirizin 10mg 20 St.', 'pack', 499],
    ['Loratadin 10mg 20 St.', 'pack', 549],
    ['Allergie-Augentropfen 10 ml', 'pack', 795],
    ['Desloratadin 5mg 20 St.', 'pack', 1295],
  ],
  'Skin care': [
    ['Wund- und Heilsalbe 50 g', 'pack', 695],
    ['Hydrocortison Creme 0,5% 30 g', 'pack', 895],
    ['Zinksalbe 100 g', 'pack', 549],
    ['Panthenol Spray 130 g', 'pack', 1099],
    ['Clotrimazol Creme 20 g', 'pack', 599],
    ['Aciclovir Lippenherpescreme 2 g', 'pack', 499],
  ],
  'Sleep & calm': [
    ['Baldrian 450mg 60 St.', 'pack', 995],
    ['Melatonin 1mg 60 St.', 'pack', 1290],
    ['Lavendelöl Kapseln 80mg 28 St.', 'pack', 1995],
    ['Johanniskraut 425mg 60 St.', 'pack', 1450],
  ],
  'Eyes & ears': [
    ['Augentropfen Hyaluron 10 ml', 'pack', 1195],
    ['Ohrentropfen 10 ml', 'pack', 695],
  ],
  'Devices & accessories': [
    ['Vaporizer Mighty+', 'piece', 34900],
    ['Vaporizer Crafty+', 'piece', 24900],
    ['Dosierkapseln 0,1 g 40 St.', 'pack', 2490],
    ['Grinder Aluminium 4-teilig', 'piece', 1990],
    ['Fieberthermometer digital', 'piece', 899],
    ['Blutdruckmessgerät Oberarm', 'piece', 4990],
    ['FFP2 Masken 10 St.', 'pack', 799],
    ['Pflaster Strips 20 St.', 'pack', 349],
    ['Mullbinden 8 cm 5 St.', 'pack', 449],
    ['Einmalhandschuhe Nitril 100 St.', 'pack', 1190],
  ],
};

function buildCatalog(): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  let number = 101;
  for (const [category, rows] of Object.entries(SECTIONS)) {
    for (const [name, unit, basePriceCents] of rows) {
      entries.push({ p1Id: `P1-${String(number).padStart(6, '0')}`, name, category, unit, basePriceCents });
      number += 1;
    }
  }
  return entries;
}

export const MASTER_CATALOG: readonly CatalogEntry[] = buildCatalog();

/**
 * Items that appear on orders without a catalog entry (p1_id ""), like the seed's
 * "24/1 IUVO KC OJ Zainbow": imports and compounded preparations.
 */
export const OFF_CATALOG_ITEMS: readonly { name: string; priceCents: number }[] = [
  { name: '24/1 IUVO KC OJ Zainbow', priceCents: 875 },
  { name: '22/1 Aurora Pink Kush (Einzelimport)', priceCents: 960 },
  { name: '18/1 THC18 Tilray (Einzelimport)', priceCents: 1020 },
  { name: 'Rezeptur: Dronabinol-Kapseln 5 mg 30 St.', priceCents: 8640 },
  { name: 'Rezeptur: Cannabisblüten gemahlen 10 g', priceCents: 11200 },
  { name: 'Individualrezeptur Salbe 50 g', priceCents: 2450 },
];
