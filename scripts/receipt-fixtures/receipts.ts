/**
 * The receipts of the OCR fixture set, written by hand: what is printed on each and what a
 * reading must find. A line "left\tright" prints `right` flush right (the amount column).
 * `truth` is what the extraction must return; `date` as YYYY-MM-DD, `merchant` as printed.
 */
export interface ReceiptText {
  name: string;
  lines: string[];
  truth: { total: number; date: string; merchant: string; currency: string | null };
  style: {
    font: 'mono' | 'sans' | 'serif' | 'narrow' | 'mono-alt' | 'sans-alt';
    size: number;
    width: number;
    /** Degrees, clockwise. */
    rotate: number;
    blur: number;
    /** Noise, 0..0.1: a Gaussian shift of σ = 400 × noise grey levels on every pixel, and specks on noise/10 of them. */
    noise: number;
    /** Paper on a grey desk, unevenly lit, with a shadow: as if photographed. */
    photo: boolean;
    format: 'png' | 'jpeg' | 'webp';
  };
}

const base: ReceiptText['style'] = { font: 'mono', size: 18, width: 460, rotate: 0, blur: 0, noise: 0, photo: false, format: 'png' };

export const receipts: ReceiptText[] = [
  {
    name: 'grocery-usd-iso',
    lines: ['FRESH MARKET', '123 Main Street', 'Springfield, IL', 'Date: 2024-03-15 14:22', '', 'Bananas\t1.29', 'Milk 1 gal\t3.49', 'Bread\t2.99', '', 'SUBTOTAL\t7.77', 'TAX\t0.62', 'TOTAL\t$8.39', 'CASH\t10.00', 'CHANGE\t1.61'],
    truth: { total: 8.39, date: '2024-03-15', merchant: 'FRESH MARKET', currency: 'USD' },
    style: { ...base },
  },
  {
    name: 'cafe-eur-dots',
    lines: ['Café Bellini', 'Via Roma 12, Milano', '15.03.2024  09:41', '', 'Cappuccino\t2,50', 'Cornetto\t1,80', 'Spremuta\t3,50', '', 'TOTALE EUR', 'TOTAL\t€ 7,80', 'Contanti\t10,00'],
    truth: { total: 7.8, date: '2024-03-15', merchant: 'Café Bellini', currency: 'EUR' },
    style: { ...base, font: 'sans', size: 20, rotate: 1.2, format: 'jpeg' },
  },
  {
    name: 'restaurant-usd-tip',
    lines: ['THE BLUE DINER', '400 Ocean Ave', 'Table 12   Server: Kim', '06/21/2024 19:05', '', 'Burger\t14.50', 'Fries\t4.25', 'Soda\t2.75', '', 'Subtotal\t21.50', 'Tax\t1.88', 'Tip\t4.00', 'GRAND TOTAL\t$27.38'],
    truth: { total: 27.38, date: '2024-06-21', merchant: 'THE BLUE DINER', currency: 'USD' },
    style: { ...base, font: 'mono-alt', size: 17, rotate: -1.5, blur: 0.6, format: 'png' },
  },
  {
    name: 'hardware-gbp',
    lines: ['HOMEBASE DIY', 'Unit 4 Retail Park', 'Leeds LS1 2AB', '12 Feb 2024', '', 'Screws 100pk\t£4.99', 'Hammer\t£12.00', 'Sandpaper\t£3.50', '', 'Sub Total\t£20.49', 'VAT 20%\t£3.42', 'AMOUNT DUE\t£20.49', 'Card\t£20.49'],
    truth: { total: 20.49, date: '2024-02-12', merchant: 'HOMEBASE DIY', currency: 'GBP' },
    style: { ...base, font: 'sans-alt', size: 19, photo: true, rotate: 0.8, format: 'jpeg' },
  },
  {
    name: 'pharmacy-usd-month-name',
    lines: ['CITY PHARMACY', '55 Elm Road', 'Mar 3, 2024  10:15 AM', '', 'Vitamin C\t8.99', 'Bandages\t5.49', '', 'SUBTOTAL\t14.48', 'SALES TAX\t1.16', 'BALANCE DUE\t15.64', 'VISA\t15.64'],
    truth: { total: 15.64, date: '2024-03-03', merchant: 'CITY PHARMACY', currency: null },
    style: { ...base, font: 'serif', size: 19, noise: 0.02, format: 'png' },
  },
  {
    name: 'bakery-eur-photo',
    lines: ['BÄCKEREI SCHMIDT', 'Hauptstr. 7, Berlin', '02.05.2024 07:58', '', 'Brötchen 4x\t1,60', 'Croissant\t1,40', 'Kaffee\t2,20', '', 'SUMME\t5,20', 'MwSt 7%\t0,34', 'TOTAL EUR\t5,20', 'Bar\t10,00', 'Rückgeld\t4,80'],
    truth: { total: 5.2, date: '2024-05-02', merchant: 'BÄCKEREI SCHMIDT', currency: 'EUR' },
    style: { ...base, font: 'mono', size: 18, photo: true, rotate: -1, blur: 0.5, format: 'jpeg' },
  },
  {
    name: 'gas-station-usd',
    lines: ['SHELL STATION 4411', '901 Highway 9', '11/30/2023 06:12', '', 'Unleaded 10.2 gal\t35.70', 'Coffee\t1.99', '', 'TOTAL\t37.69', 'DEBIT\t37.69'],
    truth: { total: 37.69, date: '2023-11-30', merchant: 'SHELL STATION 4411', currency: null },
    style: { ...base, font: 'narrow', size: 21, rotate: 2, format: 'webp' },
  },
  {
    name: 'bookshop-gbp-slash',
    lines: ['WATERSIDE BOOKS', '8 Quay Street', 'Bristol', '23/08/2024', '', 'Novel\t£8.99', 'Notebook\t£4.50', 'Bookmark\t£1.25', '', 'Total\t£14.74', 'Cash\t£20.00', 'Change\t£5.26'],
    truth: { total: 14.74, date: '2024-08-23', merchant: 'WATERSIDE BOOKS', currency: 'GBP' },
    style: { ...base, font: 'serif', size: 18, noise: 0.03, blur: 0.4, format: 'webp' },
  },
  {
    name: 'supermarket-usd-long',
    lines: [
      'GREENLEAF GROCERS',
      'Store #208',
      '2024/01/09 18:44',
      '',
      'Apples 2 lb\t3.98',
      'Eggs dozen\t4.29',
      'Cheddar\t5.49',
      'Pasta\t1.89',
      'Tomato sauce\t2.49',
      'Olive oil\t9.99',
      '',
      'SUBTOTAL\t28.13',
      'TAX 6%\t1.69',
      'TOTAL\tUSD 29.82',
      'MASTERCARD\t29.82',
    ],
    truth: { total: 29.82, date: '2024-01-09', merchant: 'GREENLEAF GROCERS', currency: 'USD' },
    style: { ...base, font: 'mono', size: 16, width: 480, rotate: -0.7, photo: true, format: 'jpeg' },
  },
  {
    name: 'taxi-chf',
    lines: ['ZUERI TAXI AG', 'Bahnhofplatz 1, Zürich', '05.10.2024 23:10', '', 'Fahrt 8.4 km\t31.40', 'Zuschlag Nacht\t5.00', '', 'TOTAL CHF\t36.40'],
    truth: { total: 36.4, date: '2024-10-05', merchant: 'ZUERI TAXI AG', currency: 'CHF' },
    style: { ...base, font: 'sans', size: 20, blur: 0.7, format: 'png' },
  },
  {
    name: 'hotel-eur-dash',
    lines: ['HOTEL AURORA', 'Rue de la Paix 3, Paris', 'Date 2024-07-14', '', 'Chambre 1 nuit\t120,00', 'Petit déjeuner\t18,00', 'Taxe de séjour\t2,88', '', 'Sous-total\t140,88', 'TVA 10%\t12,80', 'TOTAL\t140,88 €'],
    truth: { total: 140.88, date: '2024-07-14', merchant: 'HOTEL AURORA', currency: 'EUR' },
    style: { ...base, font: 'serif', size: 19, photo: true, rotate: 1.6, format: 'jpeg' },
  },
  {
    name: 'electronics-usd-thousands',
    lines: ['MEGA ELECTRONICS', '1 Tech Plaza', 'Sep 28, 2024', '', 'Laptop 15in\t1,149.00', 'Mouse\t24.99', 'USB-C cable\t12.99', '', 'SUBTOTAL\t1,186.98', 'TAX\t97.93', 'TOTAL\t$1,284.91', 'VISA ****4421\t1,284.91'],
    truth: { total: 1284.91, date: '2024-09-28', merchant: 'MEGA ELECTRONICS', currency: 'USD' },
    style: { ...base, font: 'mono-alt', size: 18, noise: 0.02, format: 'jpeg' },
  },
  {
    name: 'market-eur-noise',
    lines: ['MERCADO CENTRAL', 'Calle Mayor 20, Madrid', '18/04/2024 12:30', '', 'Naranjas\t3,20', 'Queso\t7,45', 'Pan\t1,10', '', 'TOTAL\t11,75 EUR', 'Efectivo\t20,00', 'Cambio\t8,25'],
    truth: { total: 11.75, date: '2024-04-18', merchant: 'MERCADO CENTRAL', currency: 'EUR' },
    style: { ...base, font: 'sans-alt', size: 19, noise: 0.04, rotate: -1.2, format: 'png' },
  },
  {
    name: 'pizzeria-usd-amount-due',
    lines: ["TONY'S PIZZERIA", '77 Bleecker St', 'New York, NY', '10/02/2024 20:41', '', 'Large Margherita\t18.00', 'Garlic knots\t6.50', 'Lemonade\t3.25', '', 'Subtotal\t27.75', 'Tax\t2.46', 'AMOUNT DUE\t$30.21'],
    truth: { total: 30.21, date: '2024-10-02', merchant: "TONY'S PIZZERIA", currency: 'USD' },
    style: { ...base, font: 'sans', size: 18, photo: true, blur: 0.5, format: 'jpeg' },
  },
  {
    name: 'cinema-gbp-month-first',
    lines: ['ODEON CINEMAS', 'Leicester Square', '7 November 2024', '', 'Adult ticket x2\t£27.00', 'Popcorn large\t£7.50', '', 'TOTAL\t£34.50', 'Contactless\t£34.50'],
    truth: { total: 34.5, date: '2024-11-07', merchant: 'ODEON CINEMAS', currency: 'GBP' },
    style: { ...base, font: 'narrow', size: 22, rotate: 0.6, noise: 0.02, format: 'webp' },
  },
  {
    name: 'parking-cad',
    lines: ['CITYPARK LOT 12', 'Toronto ON', '2024-12-01 08:05', '', 'Parking 3h\t15.00', 'HST 13%\t1.95', '', 'TOTAL CAD\t16.95'],
    truth: { total: 16.95, date: '2024-12-01', merchant: 'CITYPARK LOT 12', currency: 'CAD' },
    style: { ...base, font: 'mono', size: 20, blur: 0.8, rotate: -0.5, format: 'png' },
  },
  {
    name: 'deli-usd-cash-change',
    lines: ['CORNER DELI', '15 Park Place', 'Jan 20 2024 12:02', '', 'Turkey sandwich\t8.75', 'Chips\t1.50', 'Iced tea\t2.25', '', 'TOTAL\t12.50', 'CASH TEND\t20.00', 'CHANGE DUE\t7.50'],
    truth: { total: 12.5, date: '2024-01-20', merchant: 'CORNER DELI', currency: null },
    style: { ...base, font: 'mono-alt', size: 19, photo: true, rotate: 1.8, format: 'jpeg' },
  },
  {
    name: 'florist-eur-serif',
    lines: ['BLOEMEN DE ROOS', 'Prinsengracht 90, Amsterdam', '14-02-2024', '', 'Rozen 12 st.\t24,00', 'Kaart\t2,50', '', 'Subtotaal\t26,50', 'BTW 9%\t2,19', 'TOTAAL\tEUR 26,50'],
    truth: { total: 26.5, date: '2024-02-14', merchant: 'BLOEMEN DE ROOS', currency: 'EUR' },
    style: { ...base, font: 'serif', size: 20, blur: 0.6, noise: 0.02, format: 'webp' },
  },
  {
    name: 'coffee-usd-small-font',
    lines: ['BREW LAB COFFEE', '210 College Ave', '08/05/2024 08:30', '', 'Latte 16oz\t5.25', 'Muffin\t3.75', '', 'Subtotal\t9.00', 'Tax\t0.79', 'Tip\t1.50', 'Total\t$11.29'],
    truth: { total: 11.29, date: '2024-08-05', merchant: 'BREW LAB COFFEE', currency: 'USD' },
    style: { ...base, font: 'sans', size: 15, width: 400, rotate: -1, format: 'png' },
  },
  {
    name: 'bookstore-usd-balance',
    lines: ['PAGE TURNER BOOKS', '42 Library Lane', 'Dec 18, 2023', '', 'Cookbook\t29.99', 'Gift wrap\t3.00', '', 'SUBTOTAL\t32.99', 'TAX\t2.64', 'BALANCE\t35.63'],
    truth: { total: 35.63, date: '2023-12-18', merchant: 'PAGE TURNER BOOKS', currency: null },
    style: { ...base, font: 'sans-alt', size: 18, photo: true, noise: 0.03, format: 'jpeg' },
  },
  {
    name: 'ramen-jpy',
    lines: ['RAMEN ICHIBAN', 'Shinjuku, Tokyo', '2024/09/12 12:48', '', 'Tonkotsu ramen\t¥980', 'Gyoza\t¥450', 'Beer\t¥600', '', 'Subtotal\t¥2,030', 'Tax 10%\t¥203', 'TOTAL\t¥2,233', 'Cash\t¥3,000', 'Change\t¥767'],
    truth: { total: 2233, date: '2024-09-12', merchant: 'RAMEN ICHIBAN', currency: 'JPY' },
    style: { ...base, font: 'sans', size: 19, rotate: -0.8, noise: 0.015, format: 'jpeg' },
  },
];
