// Names for the demo school (seed --demo): common US given names and surnames of many origins.
// Picked by a seeded PRNG, so every run makes the same people.

export const FEMALE_FIRST = [
  'Olivia', 'Emma', 'Charlotte', 'Amelia', 'Sophia', 'Mia', 'Isabella', 'Ava', 'Evelyn', 'Luna',
  'Harper', 'Sofia', 'Camila', 'Eleanor', 'Elizabeth', 'Violet', 'Scarlett', 'Emily', 'Hazel', 'Lily',
  'Gianna', 'Aurora', 'Penelope', 'Aria', 'Nora', 'Chloe', 'Ellie', 'Mila', 'Avery', 'Layla',
  'Abigail', 'Ella', 'Isla', 'Eliana', 'Nova', 'Madison', 'Zoe', 'Ivy', 'Grace', 'Lucy',
  'Willow', 'Emilia', 'Riley', 'Naomi', 'Victoria', 'Stella', 'Elena', 'Hannah', 'Valentina', 'Maya',
  'Zoey', 'Delilah', 'Leah', 'Lainey', 'Lillian', 'Paisley', 'Genesis', 'Madelyn', 'Sadie', 'Sophie',
  'Leilani', 'Addison', 'Natalie', 'Josephine', 'Alice', 'Ruby', 'Claire', 'Kinsley', 'Everly', 'Emery',
  'Adeline', 'Kennedy', 'Eva', 'Audrey', 'Hailey', 'Priya', 'Ananya', 'Mei', 'Yuna', 'Fatima',
  'Aisha', 'Amara', 'Ximena', 'Lucia', 'Mariana', 'Daniela', 'Sarah', 'Rachel', 'Rebecca', 'Anna',
  'Julia', 'Catherine', 'Jasmine', 'Nadia', 'Leila', 'Sana', 'Hana', 'Linh', 'Keiko', 'Imani',
]

export const MALE_FIRST = [
  'Liam', 'Noah', 'Oliver', 'James', 'Elijah', 'Mateo', 'Theodore', 'Henry', 'Lucas', 'William',
  'Benjamin', 'Levi', 'Sebastian', 'Jack', 'Ezra', 'Michael', 'Daniel', 'Leo', 'Owen', 'Samuel',
  'Hudson', 'Alexander', 'Asher', 'Luca', 'Ethan', 'John', 'David', 'Jackson', 'Joseph', 'Mason',
  'Luke', 'Matthew', 'Julian', 'Dylan', 'Elias', 'Jacob', 'Maverick', 'Gabriel', 'Logan', 'Aiden',
  'Thomas', 'Isaac', 'Miles', 'Grayson', 'Santiago', 'Anthony', 'Wyatt', 'Carter', 'Jayden', 'Ezekiel',
  'Caleb', 'Cooper', 'Josiah', 'Charles', 'Christopher', 'Isaiah', 'Nolan', 'Cameron', 'Nathan', 'Joshua',
  'Kai', 'Waylon', 'Angel', 'Lincoln', 'Andrew', 'Roman', 'Adrian', 'Aaron', 'Wesley', 'Ian',
  'Thiago', 'Axel', 'Brooks', 'Bennett', 'Weston', 'Rowan', 'Christian', 'Theo', 'Beau', 'Eli',
  'Arjun', 'Rohan', 'Vikram', 'Wei', 'Hiroshi', 'Minh', 'Omar', 'Yusuf', 'Ibrahim', 'Kwame',
  'Diego', 'Javier', 'Carlos', 'Mohammed', 'Dmitri', 'Ravi', 'Jin', 'Tariq', 'Malik', 'Jamal',
]

export const LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper',
  'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson',
  'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez',
  'Powell', 'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell', 'Coleman', 'Butler', 'Henderson', 'Barnes',
  'Gonzales', 'Fisher', 'Vasquez', 'Simmons', 'Romero', 'Jordan', 'Patterson', 'Alexander', 'Hamilton', 'Graham',
  'Reynolds', 'Griffin', 'Wallace', 'Moreno', 'West', 'Cole', 'Hayes', 'Bryant', 'Herrera', 'Gibson',
  'Ellis', 'Tran', 'Medina', 'Aguilar', 'Stevens', 'Murray', 'Ford', 'Castro', 'Marshall', 'Owens',
  'Harrison', 'Fernandez', 'McDonald', 'Woods', 'Washington', 'Kennedy', 'Wells', 'Vargas', 'Henry', 'Chen',
  'Freeman', 'Webb', 'Tucker', 'Guzman', 'Burns', 'Crawford', 'Olson', 'Simpson', 'Porter', 'Hunter',
  'Gordon', 'Mendez', 'Silva', 'Shaw', 'Snyder', 'Mason', 'Dixon', 'Munoz', 'Hunt', 'Hicks',
  'Holmes', 'Palmer', 'Wagner', 'Black', 'Robertson', 'Boyd', 'Rose', 'Stone', 'Salazar', 'Fox',
  'Warren', 'Mills', 'Meyer', 'Rice', 'Schmidt', 'Garza', 'Daniels', 'Ferguson', 'Nichols', 'Stephens',
  'Wang', 'Zhang', 'Liu', 'Singh', 'Shah', 'Yamamoto', 'Tanaka', 'Park', 'Choi', 'Pham',
  "O'Brien", 'Van der Berg', 'Núñez', 'Okafor', 'Haddad', 'Kowalski', 'Ivanova', 'Rossi', 'Müller', 'Abubakar',
]
