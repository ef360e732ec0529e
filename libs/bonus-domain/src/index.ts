// Pure promo domain of bonus-grant: offers, eligibility, jurisdiction policies, the grant life cycle.
export {};
